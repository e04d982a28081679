package destination_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// of gives a record a collection.
func of(collection string, r opencdc.Record) opencdc.Record {
	r.Metadata.SetCollection(collection)
	return r
}

// TestRouteByCollection: without a resource, each record goes to the type
// its opencdc.collection names (under any name the resource takes), in runs
// of one type, so no batch mixes types and the order holds across them.
func TestRouteByCollection(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": ""})
	srv.ResetCalls()
	recs := []opencdc.Record{
		of("contacts", rec(opencdc.OperationCreate, "1", id("c1"), opencdc.StructuredData{"email": "a@example.com"})),
		of("contacts", rec(opencdc.OperationCreate, "2", id("c2"), opencdc.StructuredData{"email": "b@example.com"})),
		of("crm.companies", rec(opencdc.OperationSnapshot, "3", id("k1"), opencdc.StructuredData{"name": "Acme"})),
		of("0-3", rec(opencdc.OperationCreate, "4", id("d1"), opencdc.StructuredData{"dealname": "Big"})),
		// A later run of contacts: the contact the first run created under
		// key c1 is the one updated.
		of("contacts", rec(opencdc.OperationUpdate, "5", id("c1"), opencdc.StructuredData{"firstname": "Ann"})),
	}
	n, err := d.Write(ctx, recs)
	is.NoErr(err)
	is.Equal(n, len(recs))
	is.Equal(srv.Calls(), map[string]int{
		"GET /crm/properties/2026-09/contacts":             1,
		"GET /crm/properties/2026-09/companies":            1,
		"GET /crm/properties/2026-09/deals":                1,
		"POST /crm/objects/2026-09/contacts/batch/create":  1,
		"POST /crm/objects/2026-09/companies/batch/create": 1,
		"POST /crm/objects/2026-09/deals/batch/create":     1,
		"POST /crm/objects/2026-09/contacts/batch/update":  1,
	})
	contacts := live(srv)
	is.Equal(len(contacts), 2)
	var ann int
	for _, o := range contacts {
		if o.Properties["email"] == "a@example.com" && o.Properties["firstname"] == "Ann" {
			ann++
		}
	}
	is.Equal(ann, 1)
	is.Equal(len(srv.Objects("companies")), 1)
	is.Equal(srv.Objects("deals")[0].Properties["dealname"], "Big")

	// The Destinations opened stay open: another batch reads no schema.
	srv.ResetCalls()
	n, err = d.Write(ctx, []opencdc.Record{of("deals", rec(opencdc.OperationCreate, "6", id("d2"), opencdc.StructuredData{"dealname": "Small"}))})
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(srv.Calls(), map[string]int{"POST /crm/objects/2026-09/deals/batch/create": 1})
}

// TestRouteByTemplate: resource as a Go template over the record.
func TestRouteByTemplate(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": `{{ index .Metadata "kind" }}s`})
	r := rec(opencdc.OperationCreate, "1", id("t1"), opencdc.StructuredData{"subject": "Help"})
	r.Metadata["kind"] = "ticket"
	n, err := d.Write(context.Background(), []opencdc.Record{r})
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(srv.Objects("tickets")[0].Properties["subject"], "Help")
}

// TestRouteErrors: a record whose resource cannot be told, or cannot be
// written, fails with an error naming it, after the records before it.
func TestRouteErrors(t *testing.T) {
	good := of("contacts", rec(opencdc.OperationCreate, "1", id("c1"), opencdc.StructuredData{"email": "ok@example.com"}))
	tests := []struct {
		name     string
		resource string
		bad      opencdc.Record
		wantErr  string
	}{
		{"no collection", "", rec(opencdc.OperationCreate, "2", id("x"), opencdc.StructuredData{}), `record 1 (position 2, key {"id":"x"}): the record has no opencdc.collection`},
		{"unknown collection", "", of("widgets", rec(opencdc.OperationCreate, "2", id("x"), opencdc.StructuredData{})), `unknown resource "widgets"`},
		{"read-only", "", of("owners", rec(opencdc.OperationCreate, "2", id("x"), opencdc.StructuredData{})), `owners is read-only: HubSpot's API creates, updates and deletes none of them`},
		{"template of nothing", `{{ index .Metadata "kind" }}`, rec(opencdc.OperationCreate, "2", id("x"), opencdc.StructuredData{}), `the "resource" template made no resource of the record`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": tc.resource})
			first := good
			if tc.resource != "" {
				first.Metadata = opencdc.Metadata{"kind": "contacts"}
			}
			n, err := d.Write(context.Background(), []opencdc.Record{first, tc.bad})
			is.Equal(n, 1) // the record before it was written
			is.True(err != nil)
			t.Log(err)
			is.True(strings.Contains(err.Error(), tc.wantErr))
			is.Equal(len(live(srv)), 1)
		})
	}
}

func TestRouteConfig(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	_, err := tryOpenDestination(srv, map[string]string{"resource": "{{ .Metadata"})
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), `"resource": is not a valid Go template`))
	_, err = tryOpenDestination(srv, map[string]string{"resource": "owners"})
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), fmt.Sprintf("%q: owners is read-only", "resource")))
}

// TestRouteErrorNamesTheBatchIndex: a record refused in a later run is
// named by its index in the batch, and the records before it count as
// written.
func TestRouteErrorNamesTheBatchIndex(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": ""})
	recs := []opencdc.Record{
		of("contacts", rec(opencdc.OperationCreate, "1", id("c1"), opencdc.StructuredData{"email": "a@example.com"})),
		of("deals", rec(opencdc.OperationCreate, "2", id("d1"), opencdc.StructuredData{"dealname": "Good"})),
		of("deals", rec(opencdc.OperationCreate, "3", id("d2"), opencdc.StructuredData{"no_such_property": "x"})),
	}
	n, err := d.Write(context.Background(), recs)
	is.Equal(n, 2)
	is.True(err != nil)
	t.Log(err)
	is.True(strings.Contains(err.Error(), "record 2 (position 3"))
	is.True(strings.Contains(err.Error(), "no_such_property"))
}

// TestRouteSignIn: a routing destination learns of a wrong token at Open,
// and a token refused later (revoked) reads as at Open, once.
func TestRouteSignIn(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	_, err := tryOpenDestination(srv, map[string]string{"resource": "", "accessToken": "pat-na1-wrong"})
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), `HubSpot refused the access token (parameter "accessToken")`))
	is.True(!strings.Contains(err.Error(), "pat-na1-wrong"))

	d := openDestination(t, srv, map[string]string{"resource": ""})
	srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: http.StatusUnauthorized, Times: 100})
	_, err = d.Write(context.Background(), []opencdc.Record{of("contacts", rec(opencdc.OperationCreate, "1", id("c1"), opencdc.StructuredData{"email": "a@example.com"}))})
	is.True(err != nil)
	t.Log(err)
	is.Equal(strings.Count(err.Error(), "refused the access token"), 1)
}
