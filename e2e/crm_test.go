package e2e

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
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

// startMirror runs a pipeline from one simulated account to another and
// returns a wait until diff finds them equal (diff says how they differ,
// or ""), for a minute at most.
func startMirror(t *testing.T, pipeline string, from, to *hubspottest.Server, diff func(from, to *hubspottest.Server) string) func(what string) {
	t.Helper()
	env := sourceEnv(from, "")
	env["HUBSPOT_DEST_ACCESS_TOKEN"], env["HUBSPOT_DEST_BASE_URL"] = to.Token, to.URL
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
// mirrors contacts, companies and deals into a second account, the
// destination routing each record by its collection, through the snapshot
// and then creates, updates and deletes of each type.
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
	wait := startMirror(t, "hubspot-crm-to-hubspot.yaml", from, to, mirrorDiff)
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
}
