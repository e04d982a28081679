package e2e

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

// crmProps are the properties the CRM mirror test compares, by type.
var crmProps = map[string][]string{
	"contacts":  {"email", "firstname", "lastname"},
	"companies": {"name", "domain"},
	"deals":     {"dealname", "amount"},
}

// mirrorDiff compares the live objects of each type in the two accounts,
// those of to by their mirror_id, the id of the object in from they
// mirror: "" when they hold the same objects with the same properties.
func mirrorDiff(from, to *hubspottest.Server) string {
	for _, typ := range slices.Sorted(maps.Keys(crmProps)) {
		want, got := map[string]string{}, map[string]string{}
		for _, o := range from.Objects(typ) {
			if !o.Archived {
				want[o.ID] = fmt.Sprint(values(o, crmProps[typ]))
			}
		}
		for _, o := range to.Objects(typ) {
			if !o.Archived {
				got[o.Properties["mirror_id"]] = fmt.Sprint(values(o, crmProps[typ]))
			}
		}
		for id, w := range want {
			if got[id] != w {
				return fmt.Sprintf("%s %s is %q in the mirror, want %q", typ, id, got[id], w)
			}
		}
		if len(got) != len(want) {
			return fmt.Sprintf("the mirror holds %d %s, want %d", len(got), typ, len(want))
		}
	}
	return ""
}

func values(o hubspottest.Object, props []string) []string {
	out := make([]string, len(props))
	for i, p := range props {
		out[i] = o.Properties[p]
	}
	return out
}

// crmLinks are the links the CRM mirror carries: those to companies.
var crmLinks = [][2]string{{"contacts", "companies"}, {"deals", "companies"}}

// crmDiff is mirrorDiff, then a comparison of the links of crmLinks, both
// ends of those in to by their mirror_id, with their labels.
func crmDiff(from, to *hubspottest.Server) string {
	if d := mirrorDiff(from, to); d != "" {
		return d
	}
	for _, pair := range crmLinks {
		want, err := linksBy(from, pair, func(_, id string) string { return id })
		if err != nil {
			return err.Error()
		}
		mirror := mirrorIDs(to, pair[:]...)
		got, err := linksBy(to, pair, func(typ, id string) string { return mirror[typ+"/"+id] })
		if err != nil {
			return err.Error()
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Sprintf("links %s to %s: the mirror has %v, want %v", pair[0], pair[1], got, want)
		}
	}
	return ""
}

// mirrorIDs maps "type/id" of each object of the types to its mirror_id.
func mirrorIDs(srv *hubspottest.Server, types ...string) map[string]string {
	out := map[string]string{}
	for _, typ := range types {
		for _, o := range srv.Objects(typ) {
			out[typ+"/"+o.ID] = o.Properties["mirror_id"]
		}
	}
	return out
}

// linksBy returns an account's links of a pair of types, each end named
// by name: "to[labels]" by from, sorted.
func linksBy(srv *hubspottest.Server, pair [2]string, name func(typ, id string) string) (map[string][]string, error) {
	all, err := srv.AllLinks(pair[0], pair[1])
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for id, links := range all {
		var ends []string
		for _, l := range links {
			ends = append(ends, fmt.Sprintf("%s%v", name(pair[1], l.ToID), l.Labels))
		}
		slices.Sort(ends)
		out[name(pair[0], id)] = ends
	}
	return out, nil
}

// startMirror runs a pipeline from one simulated account to another and
// returns a wait until diff finds them equal (diff says how they differ,
// or ""), for a minute at most.
func startMirror(t *testing.T, pipeline string, from, to *hubspottest.Server, diff func(from, to *hubspottest.Server) string) func(what string) {
	t.Helper()
	env := sourceEnv(from, "")
	env["HUBSPOT_DEST_ACCESS_TOKEN"], env["HUBSPOT_DEST_BASE_URL"] = to.Token, to.URL
	env["HUBSPOT_ASSOCIATIONS_REFRESH_PERIOD"] = "1s"
	c := startConduit(t, t.TempDir(), pipeline, env)
	return func(what string) {
		t.Helper()
		c.waitForWhy(t, what, time.Minute, func() (bool, string) {
			d := diff(from, to)
			return d == "", d
		})
	}
}

// TestCRMToHubSpot runs examples/hubspot-crm-to-hubspot.yaml: one pipeline
// mirrors contacts, companies and deals with their links to companies into
// a second account, the destination routing each record by its
// collection, through the snapshot and then creates, updates and deletes
// of each type and links added, relabeled and removed.
func TestCRMToHubSpot(t *testing.T) {
	from, to := newSim(t), newSim(t)
	ids := map[string][]string{}
	for typ := range crmProps {
		if err := to.AddProperty(typ, hubspottest.PropertyDef{Name: "mirror_id", Type: hubspottest.TypeString, Unique: true}); err != nil {
			t.Fatal(err)
		}
		seeded, err := from.Seed(typ, 40, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids[typ] = seeded
	}
	for i, pair := range crmLinks {
		if _, err := simdata.SeedLinks(from, pair[0], pair[1], 2, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	_, primary := from.AssociationTypeID("deals", "companies")
	if err := from.Associate("deals", ids["deals"][5], "companies", ids["companies"][7], primary); err != nil {
		t.Fatal(err)
	}
	wait := startMirror(t, "hubspot-crm-to-hubspot.yaml", from, to, crmDiff)
	wait("the snapshot in the second account")
	for round := range 3 {
		for typ, props := range crmProps {
			id, err := from.Create(typ, map[string]string{props[0]: fmt.Sprintf("new-%d-%s", round, typ)})
			if err != nil {
				t.Fatal(err)
			}
			ids[typ] = append(ids[typ], id)
			if err := from.Update(typ, ids[typ][round*3], map[string]string{props[0]: fmt.Sprintf("round %d", round)}); err != nil {
				t.Fatal(err)
			}
			if err := from.Archive(typ, ids[typ][round*3+1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	wait("the changes in the second account")

	// Links alone: one added, one labeled Primary, one removed, each
	// leaving both objects' last-modified times as they were.
	deal, company := ids["deals"][10], ids["companies"][11]
	if err := from.Associate("deals", deal, "companies", company); err != nil {
		t.Fatal(err)
	}
	contact := ids["contacts"][12]
	links, err := from.Links("contacts", contact, "companies")
	if err != nil || len(links) == 0 {
		t.Fatalf("contact %s's links: %v, %v", contact, links, err)
	}
	if err := from.Unassociate("contacts", contact, "companies", links[0].ToID); err != nil {
		t.Fatal(err)
	}
	if err := from.Associate("deals", ids["deals"][5], "companies", ids["companies"][8], primary); err != nil {
		t.Fatal(err)
	}
	wait("the changes of links in the second account")
}
