package source

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

func stringProps(names ...string) []hubspot.Property {
	out := make([]hubspot.Property, len(names))
	for i, n := range names {
		out[i] = hubspot.Property{Name: n, Type: "string", FieldType: "text"}
	}
	return out
}

// contactsCatalog returns a catalog of every property of contacts, not
// listed yet, its lister and its clock.
func contactsCatalog(t *testing.T) (*catalog, *mock.MockSourcePropertyLister, *hubspottest.ManualClock) {
	clock := hubspottest.NewManualClock(at(0))
	lister := mock.NewMockSourcePropertyLister(gomock.NewController(t))
	return newCatalog(lister, "contacts", nil, []string{"hs_object_id"}, nil, clock.Now), lister, clock
}

// TestCatalogFollowsHubSpot: with every property read, the catalog reads
// what HubSpot lists, lists again after 10 minutes or at once for a name a
// read returned that it did not know (once per such name), and drops
// archived properties.
func TestCatalogFollowsHubSpot(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	c, lister, clock := contactsCatalog(t)
	is.Equal(c.names, []string{"hs_object_id"}) // not listed yet
	is.True(c.due())

	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email", "phone"), nil)
	changed, err := c.refresh(ctx)
	is.NoErr(err)
	is.True(changed)
	is.Equal(c.names, []string{"email", "hs_object_id", "phone"})
	is.True(!c.due())
	gen := c.generation

	// A read returns a property created since: list again at once.
	c.note([]string{"email", "shoe_size"})
	is.True(c.due())
	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email", "phone", "shoe_size"), nil)
	changed, err = c.refresh(ctx)
	is.NoErr(err)
	is.True(changed)
	is.Equal(c.names, []string{"email", "hs_object_id", "phone", "shoe_size"})
	is.Equal(c.generation, gen+1)

	// A name HubSpot still does not list asks once, not at every read.
	c.note([]string{"ghost"})
	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email", "phone", "shoe_size"), nil)
	changed, err = c.refresh(ctx)
	is.NoErr(err)
	is.True(!changed)
	c.note([]string{"ghost"})
	is.True(!c.due())

	// 10 minutes on: list again; an archived property is gone.
	clock.Advance(catalogRefreshEvery - time.Millisecond)
	is.True(!c.due())
	clock.Advance(time.Millisecond)
	is.True(c.due())
	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email", "shoe_size"), nil)
	changed, err = c.refresh(ctx)
	is.NoErr(err)
	is.True(changed)
	is.Equal(c.names, []string{"email", "hs_object_id", "shoe_size"})
}

// TestCatalogFixed: configured properties are read whether HubSpot lists
// them or not; the listing gives their definitions, and a change of a
// definition (a type) is a change of the catalog.
func TestCatalogFixed(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	clock := hubspottest.NewManualClock(at(0))
	lister := mock.NewMockSourcePropertyLister(gomock.NewController(t))
	c := newCatalog(lister, "contacts", []string{"email", "typo"}, []string{"hs_object_id"}, nil, clock.Now)
	is.Equal(c.names, []string{"email", "hs_object_id", "typo"})

	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email", "phone"), nil)
	_, err := c.refresh(ctx)
	is.NoErr(err)
	is.Equal(c.names, []string{"email", "hs_object_id", "typo"}) // phone is not asked for
	_, listed := c.definition("typo")
	is.True(!listed)

	numberEmail := stringProps("hs_object_id", "email")
	numberEmail[1].Type = "number"
	clock.Advance(catalogRefreshEvery)
	lister.EXPECT().List(gomock.Any(), "contacts").Return(numberEmail, nil)
	changed, err := c.refresh(ctx)
	is.NoErr(err)
	is.True(changed)
	p, _ := c.definition("email")
	is.Equal(p.Type, "number")
}

// TestUnknownPropertyKeptInMetadata: a property HubSpot sent that the
// schema does not have yet is not a field (the record would not encode),
// and not lost: its value is in hubspot.raw.<property> until the next
// schema version has it.
func TestUnknownPropertyKeptInMetadata(t *testing.T) {
	is := is.New(t)
	s := newShape("contacts")
	is.NoErr(s.build(context.Background(), []hubspot.Property{{Name: "email", Type: "string", FieldType: "text"}}, 1))
	it := item{id: "1", key: keyset{ts: at(0), id: 1}, createdAt: at(0), row: hubspot.Row{Properties: hubspot.Properties{
		"email": hubspot.String("a@b.c"), "shoe_size": hubspot.String("42"), "unset_new": nil,
	}}}
	raw := s.fill(it)
	d := s.out.structured()
	is.Equal(d["email"], "a@b.c")
	_, field := d["shoe_size"]
	is.True(!field)
	is.Equal(raw, map[string]string{"shoe_size": "42"})
}

// TestRecordOfUnknownPropertyListsAgain: a record built of an object that
// carries a property the catalog lacks makes the catalog list the
// properties again at once; one of known properties alone does not.
func TestRecordOfUnknownPropertyListsAgain(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	c, lister, _ := contactsCatalog(t)
	lister.EXPECT().List(gomock.Any(), "contacts").Return(stringProps("hs_object_id", "email"), nil)
	_, err := c.refresh(ctx)
	is.NoErr(err)
	s := newShape("contacts")
	is.NoErr(s.update(ctx, c))

	known := item{id: "1", key: keyset{ts: at(0), id: 1}, createdAt: at(0), row: hubspot.Row{Properties: hubspot.Properties{"email": hubspot.String("a@b.c")}}}
	s.fill(known)
	is.True(!c.due()) // every property known

	unknown := known
	unknown.row.Properties = hubspot.Properties{"email": hubspot.String("a@b.c"), "shoe_size": nil}
	s.fill(unknown)
	is.True(c.due()) // shoe_size is new: list again
}
