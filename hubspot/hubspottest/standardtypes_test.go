package hubspottest_test

import (
	"net/http"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestEveryStandardTypeServed: the simulator serves every CRM object type
// of the client's table under each of its names, with the type's own
// created and modified properties, and answers each write as the type's
// API has it: done where the table has the call, 405 where it has not.
func TestEveryStandardTypeServed(t *testing.T) {
	srv := newServer(t, hubspottest.WithoutRateLimits())
	for _, row := range hubspot.Resources() {
		if row.Kind != hubspot.KindCRMObject || row.IsOwners {
			continue
		}
		t.Run(row.Name, func(t *testing.T) {
			is := is.New(t)
			seeded, err := srv.Create(row.Name, nil) // HubSpot's own objects, whatever the API writes
			is.NoErr(err)
			for _, name := range append([]string{row.Name, row.TypeID}, row.Aliases...) {
				if name == "" {
					continue
				}
				got := call(t, srv, http.MethodGet, "/crm/v3/objects/"+name+"/"+seeded, "")
				is.Equal(got.status, http.StatusOK) // read under each name
				props, _ := got.json(t)["properties"].(map[string]any)
				is.True(props[row.CreatedProperty] != nil)  // the row's created property
				is.True(props[row.ModifiedProperty] != nil) // and modified one
			}
			base := "/crm/v3/objects/" + row.Name
			writes := []struct {
				op           hubspot.Ops
				method, path string
				body         string
			}{
				{hubspot.OpCreate, http.MethodPost, base, `{"properties":{}}`},
				{hubspot.OpCreate, http.MethodPost, base + "/batch/create", `{"inputs":[{"properties":{}}]}`},
				{hubspot.OpUpdate, http.MethodPatch, base + "/" + seeded, `{"properties":{}}`},
				{hubspot.OpUpdate, http.MethodPost, base + "/batch/update", `{"inputs":[{"id":"` + seeded + `","properties":{}}]}`},
				{hubspot.OpUpsert, http.MethodPost, base + "/batch/upsert", `{"inputs":[{"idProperty":"hs_object_id","id":"` + seeded + `","properties":{}}]}`},
				{hubspot.OpArchive, http.MethodDelete, base + "/" + seeded, ""},
			}
			for _, w := range writes {
				got := call(t, srv, w.method, w.path, w.body)
				if row.Ops.Has(w.op) {
					is.True(got.status != http.StatusMethodNotAllowed) // a call the type has
				} else {
					is.Equal(got.status, http.StatusMethodNotAllowed) // a call the type lacks
				}
			}
			search := call(t, srv, http.MethodPost, base+"/search", `{"limit":10}`)
			is.Equal(search.status, http.StatusOK) // every type searches
		})
	}
}
