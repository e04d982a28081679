package destination

import (
	"context"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

// newMocked is a destination for contacts that writes through a mock.
func newMocked(t *testing.T) (*Destination, *mock.MockObjectWriter) {
	t.Helper()
	objects := mock.NewMockObjectWriter(gomock.NewController(t))
	res, err := hubspot.LookupResource("contacts")
	if err != nil {
		t.Fatal(err)
	}
	d := &Destination{
		resource: res, objects: objects,
		schema: map[string]hubspot.Property{
			"email": {Name: "email", Type: "string"}, "firstname": {Name: "firstname", Type: "string"},
		},
		createdIDs: map[string]string{}, accepted: map[string]bool{},
	}
	return d, objects
}

// TestUpdateOfAMergedID: HubSpot answers an update of an id merged into
// another object with the survivor, under the survivor's id. The record
// was written.
func TestUpdateOfAMergedID(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t)
	objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", gomock.Len(2)).Return(&hubspot.BatchResult{
		Status: "COMPLETE",
		Results: []hubspot.Object{
			{ID: "7", Properties: hubspot.Properties{"firstname": hubspot.String("A")}},
			{ID: "42", Properties: hubspot.Properties{"firstname": hubspot.String("B")}}, // 9 was merged into 42
		},
	}, nil)
	recs := []opencdc.Record{
		{Position: opencdc.Position("a"), Operation: opencdc.OperationUpdate, Key: opencdc.RawData("7"), Payload: opencdc.Change{After: opencdc.StructuredData{"firstname": "A"}}},
		{Position: opencdc.Position("b"), Operation: opencdc.OperationUpdate, Key: opencdc.RawData("9"), Payload: opencdc.Change{After: opencdc.StructuredData{"firstname": "B"}}},
	}
	n, err := d.Write(context.Background(), recs)
	is.NoErr(err)
	is.Equal(n, 2)
}

// TestUpdateErrorsNamingNoInput: a 207 whose error names no id cannot say
// which records were written; the write fails rather than guess.
func TestUpdateErrorsNamingNoInput(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t)
	objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", gomock.Len(2)).Return(&hubspot.BatchResult{
		Status:  "COMPLETE",
		Results: []hubspot.Object{{ID: "7"}},
		Errors:  []hubspot.ErrorDetail{{Status: "error", Category: "VALIDATION_ERROR", Message: "something"}},
	}, nil)
	recs := []opencdc.Record{
		{Position: opencdc.Position("a"), Operation: opencdc.OperationUpdate, Key: opencdc.RawData("7"), Payload: opencdc.Change{After: opencdc.StructuredData{"firstname": "A"}}},
		{Position: opencdc.Position("b"), Operation: opencdc.OperationUpdate, Key: opencdc.RawData("9"), Payload: opencdc.Change{After: opencdc.StructuredData{"firstname": "B"}}},
	}
	n, err := d.Write(context.Background(), recs)
	is.Equal(n, 0)
	is.True(err != nil)
}
