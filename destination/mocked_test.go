package destination

import (
	"context"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/golang/mock/gomock"
)

// mockedSchemas are the properties the mocked HubSpot declares, by resource.
func mockedSchemas() map[string][]hubspot.Property {
	return map[string][]hubspot.Property{
		"contacts": {{Name: "email", Type: "string"}, {Name: "firstname", Type: "string"}},
		"deals":    {{Name: "dealname", Type: "string"}, {Name: "amount", Type: "number"}},
	}
}

// newMocked opens a destination of resource, upserting on idProperty when
// it is set, whose HubSpot is mocks: it goes through the checks Open makes
// once it has a client, and reads the properties once, as Open does.
func newMocked(t *testing.T, resource, idProperty string) (*Destination, *mock.MockObjectWriter) {
	t.Helper()
	ctrl := gomock.NewController(t)
	objects, properties := mock.NewMockObjectWriter(ctrl), mock.NewMockPropertyLister(ctrl)
	res, err := hubspot.LookupResource(resource)
	if err != nil {
		t.Fatal(err)
	}
	properties.EXPECT().List(gomock.Any(), res.Name).Return(mockedSchemas()[res.Name], nil)
	d := &Destination{}
	d.config.IDProperty = idProperty
	if err := d.open(context.Background(), res, objects, properties); err != nil {
		t.Fatal(err)
	}
	return d, objects
}
