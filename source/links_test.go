package source_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// linksOf returns a record's links to a type as "id[labels]" strings.
func linksOf(t *testing.T, r opencdc.Record, to string) []string {
	t.Helper()
	assoc, ok := payload(t, r)["associations"].(map[string]any)
	if !ok {
		t.Fatalf("record %s has no associations: %v", r.Key, payload(t, r)["associations"])
	}
	entries, _ := assoc[to].([]any)
	out := []string{}
	for _, e := range entries {
		m := e.(map[string]any)
		var labels []string
		for _, l := range m["labels"].([]any) {
			labels = append(labels, l.(string))
		}
		out = append(out, fmt.Sprintf("%s%v", m["id"], labels))
	}
	return out
}

// recordOf returns the first record of the object id.
func recordOf(t *testing.T, recs []opencdc.Record, id string) opencdc.Record {
	t.Helper()
	for _, r := range recs {
		if recordID(t, r) == id {
			return r
		}
	}
	t.Fatalf("no record of %s", id)
	return opencdc.Record{}
}

// wantLinks is what linksOf should return for a deal, from the
// simulator's ground truth.
func wantLinks(t *testing.T, srv *hubspottest.Server, id, to string) []string {
	t.Helper()
	links, err := srv.Links("deals", id, to)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, l := range links {
		labels := slices.Clone(l.Labels)
		slices.Sort(labels)
		out = append(out, fmt.Sprintf("%s%v", l.ToID, labels))
	}
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return out
}

// TestAssociations: with associations on, snapshot and CDC records of deals
// carry their linked contacts and companies with their labels, encoded with
// their schema; a change of links alone (which HubSpot does not count as a
// change of the deal, by default in the simulator) comes within the refresh
// period, and a pass that finds nothing changed emits nothing. With the
// simulator counting link changes as changes, CDC brings them at once.
func TestAssociations(t *testing.T) {
	for _, bump := range []bool{false, true} {
		t.Run(fmt.Sprintf("bump=%v", bump), func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, hubspottest.WithAssociationsBumpModified(bump))
			deals := seed(t, e.srv, "deals", 150)
			contacts := seed(t, e.srv, "contacts", 5)
			companies := seed(t, e.srv, "companies", 2)
			_, primary := e.srv.AssociationTypeID("deals", "companies")
			for i, d := range deals[:120] {
				is.NoErr(e.srv.Associate("deals", d, "contacts", contacts[i%5]))
				is.NoErr(e.srv.Associate("deals", d, "contacts", contacts[(i+1)%5]))
				is.NoErr(e.srv.Associate("deals", d, "companies", companies[i%2], primary))
			}
			e.srv.ResetCalls()
			settings := map[string]string{"resource": "deals", "associations": "contacts,companies", "associationsRefreshPeriod": "1m"}
			src := openSource(t, e, settings, nil)
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(countOps(recs)[opencdc.OperationSnapshot], 150)
			encodes(t, recs)
			for _, r := range recs {
				id := recordID(t, r)
				for _, to := range []string{"contacts", "companies"} {
					is.Equal(linksOf(t, r, to), wantLinks(t, e.srv, id, to))
				}
			}
			is.Equal(linksOf(t, recordOf(t, recs, deals[0]), "companies"), []string{companies[0] + "[Primary]"})
			// One batch read per linked type per page of deals: the
			// snapshot's pages, from the list's end (100) and the
			// search's (200), cover 150 deals in two or three, and each
			// end may have read one page ahead that the meeting of the
			// ends dropped (its reads may still be under way).
			calls := e.srv.Calls()
			for _, to := range []string{"contacts", "companies"} {
				reads := calls["POST /crm/associations/2026-09/deals/"+to+"/batch/read"]
				is.True(reads >= 1 && reads <= 5)
			}

			// A change of a deal's properties: its record has its links.
			e.tick()
			is.NoErr(e.srv.Update("deals", deals[3], map[string]string{"dealname": "Changed"}))
			recs = e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			is.Equal(len(recs), 1)
			is.Equal(linksOf(t, recs[0], "contacts"), wantLinks(t, e.srv, deals[3], "contacts"))
			encodes(t, recs)

			// A change of links alone: a deal gains a company, another loses
			// its contacts.
			e.tick()
			is.NoErr(e.srv.Associate("deals", deals[140], "companies", companies[1]))
			is.NoErr(e.srv.Unassociate("deals", deals[5], "contacts", contacts[0]))
			is.NoErr(e.srv.Unassociate("deals", deals[5], "contacts", contacts[1]))
			recs = e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			if !bump {
				is.Equal(len(recs), 0) // not a change of the deals, for CDC
				e.clock.Advance(time.Minute)
				recs = e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			}
			want := []string{deals[5], deals[140]}
			slices.Sort(want) // as uniqueIDs sorts
			is.Equal(uniqueIDs(t, recs), want)
			for _, r := range recs {
				is.Equal(r.Operation, opencdc.OperationUpdate)
				is.Equal(linksOf(t, r, "contacts"), wantLinks(t, e.srv, recordID(t, r), "contacts"))
				is.Equal(linksOf(t, r, "companies"), wantLinks(t, e.srv, recordID(t, r), "companies"))
			}
			encodes(t, recs)

			// A pass that finds nothing new emits nothing.
			e.clock.Advance(time.Minute)
			is.Equal(len(e.readQuiet(t, src, 300*time.Millisecond, time.Minute)), 0)
		})
	}
}

func TestAssociationsConfig(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	_, err := tryOpen(e, map[string]string{"associations": "contacts,url_redirects"}, nil)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), `"associations": cms.urlRedirects (url_redirects) has no associations`))
	_, err = tryOpen(e, map[string]string{"associations": "dealz"}, nil)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), `"associations": unknown resource "dealz"`))
}

// TestQualifiedAssociations: a type qualified with a resource is read for
// that resource's records only, so one side of a pair names the link.
func TestQualifiedAssociations(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	deals := seed(t, e.srv, "deals", 2)
	contacts := seed(t, e.srv, "contacts", 2)
	companies := seed(t, e.srv, "companies", 1)
	is.NoErr(e.srv.Associate("deals", deals[0], "contacts", contacts[0]))
	is.NoErr(e.srv.Associate("contacts", contacts[1], "companies", companies[0]))
	settings := map[string]string{"resource": "", "resources": "contacts,deals", "associations": "deals.contacts,crm.contacts.companies"}
	src := openSource(t, e, settings, nil)
	per := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
	for _, r := range per["deals"] {
		assoc := payload(t, r)["associations"].(map[string]any)
		is.Equal(len(assoc), 1) // contacts only
	}
	is.Equal(linksOf(t, recordOf(t, per["deals"], deals[0]), "contacts"), []string{contacts[0] + "[]"})
	for _, r := range per["contacts"] {
		assoc := payload(t, r)["associations"].(map[string]any)
		_, deals := assoc["deals"]
		is.True(!deals) // the deals name that pair
	}
	is.Equal(linksOf(t, recordOf(t, per["contacts"], contacts[1]), "companies"), []string{companies[0] + "[]"})
}
