package hubspottest_test

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestChangeLogKeepsEachVersion: the change log and the search index
// share the versions of an object's properties with the object itself, so
// a later write must leave the earlier versions as they were.
func TestChangeLogKeepsEachVersion(t *testing.T) {
	tests := []struct {
		name  string
		write func(srv *hubspottest.Server, id, city string) error
	}{
		{"Update", func(srv *hubspottest.Server, id, city string) error {
			return srv.Update("contacts", id, map[string]string{"city": city})
		}},
		{"PATCH", func(srv *hubspottest.Server, id, city string) error {
			r := call(t, srv, "PATCH", "/crm/v3/objects/contacts/"+id, `{"properties":{"city":"`+city+`"}}`)
			if r.status != 200 {
				t.Fatalf("PATCH: %d %s", r.status, r.body)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, hubspottest.WithoutRateLimits())
			id, err := srv.Create("contacts", map[string]string{"email": "v@example.com", "city": "One"})
			is.NoErr(err)
			is.NoErr(tt.write(srv, id, "Two"))
			is.NoErr(tt.write(srv, id, "Three"))
			other, err := srv.Create("contacts", map[string]string{"email": "w@example.com", "city": "Other"})
			is.NoErr(err)
			survivor, err := srv.Merge("contacts", id, other)
			is.NoErr(err)

			var cities []string
			for _, c := range srv.Changes("contacts") {
				if c.ID == id || c.ID == survivor {
					cities = append(cities, c.Kind+" "+c.Properties["city"])
				}
			}
			is.Equal(cities, []string{"create One", "update Two", "update Three", "merge Three", "create Three"}) // the merge makes a new survivor
		})
	}
}
