package hubspottest_test

import (
	"strconv"
	"testing"
	"time"

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

// TestSearchKeysFollowEachVersion: search compares the modified time and
// the id of the version it sees, before and after the index catches up
// with a write.
func TestSearchKeysFollowEachVersion(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithIndexLag(5*time.Second), hubspottest.WithoutRateLimits())
	id, err := srv.Create("contacts", map[string]string{"email": "k@example.com"})
	is.NoErr(err)
	created := strconv.FormatInt(start.UnixMilli(), 10)
	clock.Advance(5 * time.Second)
	is.NoErr(srv.Update("contacts", id, map[string]string{"city": "New"}))
	updated := strconv.FormatInt(start.Add(5*time.Second).UnixMilli(), 10)
	count := func(filters string) int {
		return len(results(t, call(t, srv, "POST", "/crm/v3/objects/contacts/search", `{"filterGroups":[{"filters":[`+filters+`]}]}`)))
	}
	byModified := func(ms string) string {
		return `{"propertyName":"lastmodifieddate","operator":"EQ","value":"` + ms + `"},{"propertyName":"hs_object_id","operator":"EQ","value":"` + id + `"}`
	}
	is.Equal(count(byModified(created)), 1) // the update is not indexed yet
	is.Equal(count(byModified(updated)), 0)
	clock.Advance(5 * time.Second)
	is.Equal(count(byModified(created)), 0)
	is.Equal(count(byModified(updated)), 1)
	is.Equal(count(`{"propertyName":"hs_object_id","operator":"GT","value":"`+id+`"}`), 0)
	is.Equal(count(`{"propertyName":"hs_object_id","operator":"GTE","value":"`+id+`"}`), 1)
}
