package destination

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

// TestUpdateOfAMergedID: HubSpot answers an update of an id merged into
// another object with the survivor, under the survivor's id. The record
// was written.
func TestUpdateOfAMergedID(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t, "contacts", "")
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
// whether the inputs without a result were written; the write stops there
// rather than guess.
func TestUpdateErrorsNamingNoInput(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t, "contacts", "")
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
	is.Equal(n, 1) // 7 has its result
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "position b"))
}

// TestUpdateUnconfirmed: an input with no result, no error and no survivor
// result left for it was not confirmed, so it is not counted as written.
func TestUpdateUnconfirmed(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t, "contacts", "")
	objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", gomock.Len(2)).Return(&hubspot.BatchResult{
		Status: "COMPLETE", Results: []hubspot.Object{{ID: "7"}},
	}, nil)
	n, err := d.Write(context.Background(), []opencdc.Record{updateRec("a", "7"), updateRec("b", "9")})
	is.Equal(n, 1)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "did not confirm"))
}

func updateRec(pos, id string) opencdc.Record {
	return opencdc.Record{Position: opencdc.Position(pos), Operation: opencdc.OperationUpdate, Key: opencdc.RawData(id),
		Payload: opencdc.Change{After: opencdc.StructuredData{"firstname": pos}}}
}

// TestHalvingStoppedHalfway: HubSpot refuses an upsert batch whole, writes
// its first half, and the second half's call fails after its retries: the
// first half counts as written, and the error names the first record of
// the second.
func TestHalvingStoppedHalfway(t *testing.T) {
	is := is.New(t)
	d, objects := newMocked(t, "contacts", "email")
	recs := make([]opencdc.Record, 4)
	for i := range recs {
		email := fmt.Sprintf("u%d@example.com", i)
		recs[i] = opencdc.Record{Position: opencdc.Position(fmt.Sprintf("p%d", i)), Operation: opencdc.OperationCreate,
			Key: opencdc.RawData(email), Payload: opencdc.Change{After: opencdc.StructuredData{"email": email}}}
	}
	gomock.InOrder(
		objects.EXPECT().BatchUpsert(gomock.Any(), "contacts", gomock.Len(4)).
			Return(nil, &hubspot.ErrorResponse{StatusCode: 400, Category: "VALIDATION_ERROR", Message: "bad"}),
		objects.EXPECT().BatchUpsert(gomock.Any(), "contacts", gomock.Len(2)).
			Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{
				{ID: "1", ObjectWriteTraceID: "1"}, {ID: "2", ObjectWriteTraceID: "0"}}}, nil),
		objects.EXPECT().BatchUpsert(gomock.Any(), "contacts", gomock.Len(2)).
			Return(nil, &hubspot.ErrorResponse{StatusCode: 503, Message: "unavailable"}),
	)
	n, err := d.Write(context.Background(), recs)
	is.Equal(n, 2)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "position p2"))
	is.True(strings.Contains(err.Error(), "503"))
}
