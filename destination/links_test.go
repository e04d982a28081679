package destination_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// linkWorld is a simulated account whose contacts, companies and deals
// carry a unique mirror_id (as examples/hubspot-crm-to-hubspot.yaml's
// second account does), with companies co-1..co-3 and contacts ct-1, ct-2
// to link to.
type linkWorld struct {
	srv *hubspottest.Server
	ids map[string]string // mirror_id -> HubSpot id
}

func newLinkWorld(t testing.TB) *linkWorld {
	t.Helper()
	w := &linkWorld{srv: newSim(t), ids: map[string]string{}}
	for _, typ := range []string{"contacts", "companies", "deals"} {
		if err := w.srv.AddProperty(typ, hubspottest.PropertyDef{Name: "mirror_id", Type: hubspottest.TypeString, Unique: true}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		w.seed(t, "companies", fmt.Sprintf("co-%d", i), map[string]string{"name": fmt.Sprintf("Acme %d", i)})
	}
	for i := 1; i <= 2; i++ {
		w.seed(t, "contacts", fmt.Sprintf("ct-%d", i), map[string]string{"email": fmt.Sprintf("ct%d@example.com", i)})
	}
	return w
}

// seed creates an object with a mirror_id.
func (w *linkWorld) seed(t testing.TB, typ, mirrorID string, props map[string]string) string {
	t.Helper()
	props["mirror_id"] = mirrorID
	id, err := w.srv.Create(typ, props)
	if err != nil {
		t.Fatal(err)
	}
	w.ids[mirrorID] = id
	return id
}

// links returns the links of each live deal to toType, by mirror_id at
// both ends: "co-1" for an unlabeled link, "co-1[Primary]" with its
// labels.
func (w *linkWorld) links(t *testing.T, toType string) map[string][]string {
	t.Helper()
	const fromType = "deals"
	all, err := w.srv.AllLinks(fromType, toType)
	if err != nil {
		t.Fatal(err)
	}
	mirror := func(typ string) map[string]string {
		out := map[string]string{}
		for _, o := range w.srv.Objects(typ) {
			out[o.ID] = o.Properties["mirror_id"]
		}
		return out
	}
	from, to := mirror(fromType), mirror(toType)
	out := map[string][]string{}
	for id, links := range all {
		for _, l := range links {
			s := to[l.ToID]
			if len(l.Labels) > 0 {
				s += "[" + strings.Join(l.Labels, ",") + "]"
			}
			out[from[id]] = append(out[from[id]], s)
		}
		slices.Sort(out[from[id]])
	}
	return out
}

// dealLinks are a world's deals' links to companies and contacts.
func (w *linkWorld) dealLinks(t *testing.T) [2]map[string][]string {
	return [2]map[string][]string{w.links(t, "companies"), w.links(t, "contacts")}
}

// sourceShape is the source's shape of links: each id with its labels,
// contacts only when some are given.
func sourceShape(companies map[string][]string, contacts ...string) opencdc.StructuredData {
	var co, ct []any
	for _, id := range slices.Sorted(maps.Keys(companies)) {
		co = append(co, map[string]any{"id": id, "labels": companies[id]})
	}
	for _, id := range contacts {
		ct = append(ct, map[string]any{"id": id, "labels": []any{}})
	}
	out := opencdc.StructuredData{"companies": co}
	if len(contacts) > 0 {
		out["contacts"] = ct
	}
	return out
}

// TestLinksMadeForEachWrite: a deal's links, in either shape, are made
// once the deal is written by a create, an update or an upsert; the
// source's labels become the links' labels; the associations field is no
// property.
func TestLinksMadeForEachWrite(t *testing.T) {
	type write struct {
		settings map[string]string
		// record writes deal d-1 with the links; ref is how linked
		// objects are named (HubSpot ids, or mirror_ids with idProperty).
		record func(t *testing.T, w *linkWorld, links any) opencdc.Record
		ref    func(w *linkWorld, mirrorID string) string
	}
	hubspotID := func(w *linkWorld, m string) string { return w.ids[m] }
	writes := map[string]write{
		"create": {nil, func(_ *testing.T, _ *linkWorld, links any) opencdc.Record {
			return rec(opencdc.OperationCreate, "p1", id("src-1"), opencdc.StructuredData{"dealname": "Big", "mirror_id": "d-1", "associations": links})
		}, hubspotID},
		"update": {nil, func(t *testing.T, w *linkWorld, links any) opencdc.Record {
			return rec(opencdc.OperationUpdate, "p1", id(w.seed(t, "deals", "d-1", map[string]string{"dealname": "Old"})), opencdc.StructuredData{"dealname": "Big", "associations": links})
		}, hubspotID},
		"upsert": {map[string]string{"idProperty": "mirror_id"}, func(_ *testing.T, _ *linkWorld, links any) opencdc.Record {
			return rec(opencdc.OperationSnapshot, "p1", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "Big", "associations": links})
		}, func(_ *linkWorld, m string) string { return m }},
	}
	shapes := []struct {
		name  string
		links func(ref func(string) string) any
		want  [2]map[string][]string
	}{
		{"source's shape", func(ref func(string) string) any {
			return sourceShape(map[string][]string{ref("co-1"): {"Primary"}, ref("co-2"): {}}, ref("ct-1"))
		}, [2]map[string][]string{{"d-1": {"co-1[Primary]", "co-2"}}, {"d-1": {"ct-1"}}}},
		// Raw JSON: numbers come as json.Number.
		{"simple shape", func(ref func(string) string) any {
			quote := func(s string) string {
				if _, err := fmt.Sscanf(s, "%d", new(int)); err == nil && !strings.Contains(s, "-") {
					return s // a HubSpot id as a number
				}
				return fmt.Sprintf("%q", s)
			}
			return fmt.Sprintf(`{"companies": [%s, %s], "contacts": [%s]}`, quote(ref("co-1")), quote(ref("co-2")), quote(ref("ct-2")))
		}, [2]map[string][]string{{"d-1": {"co-1", "co-2"}}, {"d-1": {"ct-2"}}}},
	}
	for _, name := range []string{"create", "update", "upsert"} {
		wr := writes[name]
		for _, shape := range shapes {
			t.Run(name+", "+shape.name, func(t *testing.T) {
				is := is.New(t)
				w := newLinkWorld(t)
				d := openDestination(t, w.srv, mergeSettings(map[string]string{"resource": "deals"}, wr.settings))
				links := shape.links(func(m string) string { return wr.ref(w, m) })
				r := wr.record(t, w, links)
				if raw, ok := links.(string); ok {
					payload := `{"dealname": "Big", "mirror_id": "d-1", "associations": ` + raw + `}`
					r.Payload.After = opencdc.RawData(payload)
				}
				n, err := d.Write(context.Background(), []opencdc.Record{r})
				is.NoErr(err)
				is.Equal(n, 1)
				is.Equal(w.dealLinks(t), shape.want)
				deals := w.srv.Objects("deals")
				is.Equal(len(deals), 1)
				is.Equal(deals[0].Properties["dealname"], "Big")
			})
		}
	}
}

func mergeSettings(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// TestLinksIdempotentOnRedelivery: Conduit delivering a batch again makes
// no new link and changes none.
func TestLinksIdempotentOnRedelivery(t *testing.T) {
	for _, mode := range []string{"add", "replace"} {
		t.Run(mode, func(t *testing.T) {
			is := is.New(t)
			w := newLinkWorld(t)
			d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id", "associationsMode": mode})
			recs := []opencdc.Record{
				rec(opencdc.OperationSnapshot, "p1", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "A", "associations": sourceShape(map[string][]string{"co-1": {"Primary"}}, "ct-1", "ct-2")}),
				rec(opencdc.OperationSnapshot, "p2", mirrorKey("d-2"), opencdc.StructuredData{"dealname": "B", "associations": map[string]any{"companies": []string{"co-1", "co-2"}}}),
			}
			want := [2]map[string][]string{{"d-1": {"co-1[Primary]"}, "d-2": {"co-1", "co-2"}}, {"d-1": {"ct-1", "ct-2"}}}
			n, err := d.Write(context.Background(), recs)
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(w.dealLinks(t), want)
			changes := len(w.srv.LinkChanges())
			for range 2 {
				n, err = d.Write(context.Background(), recs)
				is.NoErr(err)
				is.Equal(n, 2)
			}
			is.Equal(w.dealLinks(t), want)
			is.Equal(len(w.srv.LinkChanges()), changes) // nothing changed
			is.Equal(len(w.srv.Objects("deals")), 2)
		})
	}
}

// TestLinksReplaceMode: replace removes, for each type a record names,
// the links and (in the source's shape) the labels it does not name;
// types it does not name keep their links; add only adds.
func TestLinksReplaceMode(t *testing.T) {
	tests := []struct {
		name  string
		mode  string
		links any
		want  [2]map[string][]string
	}{
		{"add", "add", sourceShape(map[string][]string{"co-2": {}, "co-3": {"Primary"}}),
			[2]map[string][]string{{"d-1": {"co-1[Primary]", "co-2", "co-3[Primary]"}}, {"d-1": {"ct-1"}}}},
		{"replace", "replace", sourceShape(map[string][]string{"co-2": {}, "co-3": {"Primary"}}),
			[2]map[string][]string{{"d-1": {"co-2", "co-3[Primary]"}}, {"d-1": {"ct-1"}}}},
		{"replace takes a label off", "replace", sourceShape(map[string][]string{"co-1": {}}),
			[2]map[string][]string{{"d-1": {"co-1"}}, {"d-1": {"ct-1"}}}},
		{"replace, simple shape keeps labels", "replace", map[string]any{"companies": []string{"co-1"}},
			[2]map[string][]string{{"d-1": {"co-1[Primary]"}}, {"d-1": {"ct-1"}}}},
		{"replace, empty list", "replace", map[string]any{"companies": []any{}, "contacts": []any{"ct-2"}},
			[2]map[string][]string{{}, {"d-1": {"ct-2"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			w := newLinkWorld(t)
			deal := w.seed(t, "deals", "d-1", map[string]string{"dealname": "Big"})
			_, primary := w.srv.AssociationTypeID("deals", "companies")
			is.NoErr(w.srv.Associate("deals", deal, "companies", w.ids["co-1"], primary))
			is.NoErr(w.srv.Associate("deals", deal, "companies", w.ids["co-2"]))
			is.NoErr(w.srv.Associate("deals", deal, "contacts", w.ids["ct-1"]))
			d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id", "associationsMode": tc.mode})
			n, err := d.Write(context.Background(), []opencdc.Record{
				rec(opencdc.OperationUpdate, "p1", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "Bigger", "associations": tc.links}),
			})
			is.NoErr(err)
			is.Equal(n, 1)
			is.Equal(w.dealLinks(t), tc.want)
		})
	}
}

// TestLinksToObjectsWrittenLater: a link to an object that does not exist
// yet waits, and is made at the end of the Write that writes it, later in
// the same Write or in a later one.
func TestLinksToObjectsWrittenLater(t *testing.T) {
	for _, settings := range []map[string]string{{"idProperty": "mirror_id"}, {}} {
		t.Run(fmt.Sprint(settings), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			w := newLinkWorld(t)
			d := openDestination(t, w.srv, mergeSettings(map[string]string{"resource": ""}, settings))
			// Without idProperty a linked id may be the key of a record
			// this run created; with it, the mirror_id.
			company := func(pos, key string) opencdc.Record {
				return of("companies", rec(opencdc.OperationCreate, pos, mirrorKey(key), opencdc.StructuredData{"name": key, "mirror_id": key}))
			}
			deal := func(pos, key, company string) opencdc.Record {
				return of("deals", rec(opencdc.OperationCreate, pos, mirrorKey(key), opencdc.StructuredData{"dealname": key, "mirror_id": key,
					"associations": map[string]any{"companies": []string{company}}}))
			}
			n, err := d.Write(ctx, []opencdc.Record{deal("p1", "d-1", "co-later")})
			is.NoErr(err)
			is.Equal(n, 1)
			is.Equal(w.dealLinks(t)[0], map[string][]string{})

			n, err = d.Write(ctx, []opencdc.Record{company("p2", "co-later")})
			is.NoErr(err)
			is.Equal(n, 1)
			is.Equal(w.dealLinks(t)[0], map[string][]string{"d-1": {"co-later"}})

			// In one Write: the deal's run, then the company's.
			n, err = d.Write(ctx, []opencdc.Record{deal("p3", "d-2", "co-next"), company("p4", "co-next")})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(w.dealLinks(t)[0], map[string][]string{"d-1": {"co-later"}, "d-2": {"co-next"}})

			// Nothing waits: a Write of no company costs no link call.
			w.srv.ResetCalls()
			n, err = d.Write(ctx, []opencdc.Record{of("contacts", rec(opencdc.OperationCreate, "p5", mirrorKey("ct-9"), opencdc.StructuredData{"email": "ct9@example.com"}))})
			is.NoErr(err)
			is.Equal(n, 1)
			for call := range w.srv.Calls() {
				is.True(!strings.Contains(call, "associations"))
			}
		})
	}
}

// TestLinksWaitBound: a link whose object never comes fails the first
// Write after associationsWait, before it writes anything, naming both
// ends; the Write after that goes on.
func TestLinksWaitBound(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	clock := hubspottest.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	w := newLinkWorld(t)
	d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id", "associationsWait": "5m"}, destination.WithClock(clock))
	deal := func(pos, key string, links any) opencdc.Record {
		return rec(opencdc.OperationCreate, pos, mirrorKey(key), opencdc.StructuredData{"dealname": key, "associations": links})
	}
	n, err := d.Write(ctx, []opencdc.Record{deal("p1", "d-1", map[string]any{"companies": []string{"co-1", "co-never"}})})
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(w.dealLinks(t)[0], map[string][]string{"d-1": {"co-1"}}) // the link that could be made is

	clock.Advance(4*time.Minute + 59*time.Second)
	n, err = d.Write(ctx, []opencdc.Record{deal("p2", "d-2", nil)})
	is.NoErr(err)
	is.Equal(n, 1)

	clock.Advance(time.Second)
	n, err = d.Write(ctx, []opencdc.Record{deal("p3", "d-3", nil)})
	is.Equal(n, 0)
	is.True(err != nil)
	t.Log(err)
	is.Equal(err.Error(), fmt.Sprintf(`1 link waited 5m0s ("associationsWait") for objects that do not exist, and were not made: `+
		`from deals %s (the record at position p1) to the companies with mirror_id "co-never"`, dealID(t, w, "d-1")))
	is.Equal(len(w.srv.Objects("deals")), 2) // d-3 was not written

	n, err = d.Write(ctx, []opencdc.Record{deal("p3", "d-3", nil)})
	is.NoErr(err)
	is.Equal(n, 1)
}

func dealID(t *testing.T, w *linkWorld, mirrorID string) string {
	t.Helper()
	for _, o := range w.srv.Objects("deals") {
		if o.Properties["mirror_id"] == mirrorID {
			return o.ID
		}
	}
	t.Fatalf("no deal %s", mirrorID)
	return ""
}

// TestLinksMalformedIsolated: a bad associations field fails its record,
// naming it and the reason, before anything is written for it; the
// records before it are written.
func TestLinksMalformedIsolated(t *testing.T) {
	tests := []struct {
		name    string
		links   any
		wantErr string
	}{
		{"not a map", "co-1", `associations is a string, not a map of linked types to lists of ids`},
		{"not a list", map[string]any{"companies": "7"}, `associations.companies is a string, not a list of ids`},
		{"a bool id", map[string]any{"companies": []any{true}}, `associations.companies[0]: the id true is a bool, neither a string nor a whole number`},
		{"a fraction", map[string]any{"companies": []any{7.5}}, `associations.companies[0]: the id 7.5 is a float64, neither a string nor a whole number`},
		{"no id", map[string]any{"companies": []any{map[string]any{"labels": []any{}}}}, `associations.companies[0]: id: no id`},
		{"an id not UTF-8", map[string]any{"companies": []any{"co-\xff"}}, `associations.companies[0]: the id "co-\xff" names no object HubSpot can hold: the value is not valid UTF-8 (byte 3 is 0xff)`},
		{"an id over HubSpot's text limit", map[string]any{"companies": []any{map[string]any{"id": strings.Repeat("c", 65537)}}}, `associations.companies[0]: id: the id "ccc`},
		{"labels not a list", map[string]any{"companies": []any{map[string]any{"id": "7", "labels": "Primary"}}}, `associations.companies[0]: labels is a string, not a list of label names`},
		{"unknown type", map[string]any{"widgets": []any{"7"}}, `associations.widgets: unknown resource "widgets"`},
		{"a field name of no type id", map[string]any{"_2_x": []any{"7"}}, `associations._2_x: unknown resource "_2_x"`},
		{"not a CRM type", map[string]any{"url_redirects": []any{"7"}}, `associations.url_redirects: url_redirects are not CRM objects`},
		{"unknown label", map[string]any{"companies": []any{map[string]any{"id": "7", "labels": []any{"Boss"}}}}, `associations.companies "7": no association label "Boss" from deals to companies (its labels: Primary)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			w := newLinkWorld(t)
			d := openDestination(t, w.srv, map[string]string{"resource": "deals"})
			links := map[string]any{"companies": []string{w.ids["co-1"]}}
			recs := []opencdc.Record{
				rec(opencdc.OperationCreate, "p1", id("a"), opencdc.StructuredData{"dealname": "A", "associations": links}),
				rec(opencdc.OperationCreate, "p2", id("b"), opencdc.StructuredData{"dealname": "B", "associations": tc.links}),
				rec(opencdc.OperationCreate, "p3", id("c"), opencdc.StructuredData{"dealname": "C", "associations": links}),
			}
			n, err := d.Write(context.Background(), recs)
			is.Equal(n, 1)
			is.True(err != nil)
			t.Log(err)
			is.True(strings.HasPrefix(err.Error(), `record 1 (position p2, key {"id":"b"}): `))
			is.True(strings.Contains(err.Error(), tc.wantErr))
			deals := w.srv.Objects("deals")
			is.Equal(len(deals), 1)
			is.Equal(deals[0].Properties["dealname"], "A")
			is.Equal(len(w.links(t, "companies")), 1)
		})
	}
}

// linkCosts are the settings TestLinksCallsPer1000 and BenchmarkLinks
// measure, and the calls the test wants.
var linkCosts = []struct {
	name     string
	settings map[string]string
	want     map[string]int
}{
	{"HubSpot ids", map[string]string{}, map[string]int{
		"POST /crm/objects/2026-09/deals/batch/create":                          10,
		"GET /crm/associations/2026-09/deals/companies/labels":                  1,
		"POST /crm/associations/2026-09/deals/companies/batch/create":           10,
		"POST /crm/associations/2026-09/deals/contacts/batch/associate/default": 20,
	}},
	{"idProperty", map[string]string{"idProperty": "mirror_id"}, map[string]int{
		"POST /crm/objects/2026-09/deals/batch/upsert":                          10,
		"GET /crm/associations/2026-09/deals/companies/labels":                  1,
		"POST /crm/objects/2026-09/companies/batch/read":                        1, // then known
		"POST /crm/objects/2026-09/contacts/batch/read":                         2,
		"POST /crm/associations/2026-09/deals/companies/batch/create":           10,
		"POST /crm/associations/2026-09/deals/contacts/batch/associate/default": 20,
	}},
	{"idProperty, replace", map[string]string{"idProperty": "mirror_id", "associationsMode": "replace"}, map[string]int{
		"POST /crm/objects/2026-09/deals/batch/upsert":                          10,
		"GET /crm/associations/2026-09/deals/companies/labels":                  1,
		"POST /crm/objects/2026-09/companies/batch/read":                        1, // then known
		"POST /crm/objects/2026-09/contacts/batch/read":                         2,
		"POST /crm/associations/2026-09/deals/companies/batch/read":             10,
		"POST /crm/associations/2026-09/deals/contacts/batch/read":              10,
		"POST /crm/associations/2026-09/deals/companies/batch/create":           10,
		"POST /crm/associations/2026-09/deals/contacts/batch/associate/default": 20,
	}},
}

// linkedDeals seeds 100 companies and 200 contacts and opens a deals
// destination with the settings; it returns the destination and 1,000
// deal records, each linked to a company as its Primary and to two
// contacts, by mirror_id with idProperty, else by HubSpot id.
func linkedDeals(t testing.TB, w *linkWorld, settings map[string]string) (*destination.Destination, []opencdc.Record) {
	t.Helper()
	ref := func(m string) string { return m }
	if settings["idProperty"] == "" {
		ref = func(m string) string { return w.ids[m] }
	}
	for i := range 100 {
		w.seed(t, "companies", fmt.Sprintf("k-%d", i), map[string]string{"name": fmt.Sprint(i)})
		w.seed(t, "contacts", fmt.Sprintf("c-%d", i), map[string]string{"email": fmt.Sprintf("c%d@example.com", i)})
		w.seed(t, "contacts", fmt.Sprintf("c-%d-b", i), map[string]string{"email": fmt.Sprintf("c%db@example.com", i)})
	}
	recs := make([]opencdc.Record, 1000)
	for i := range recs {
		links := sourceShape(map[string][]string{ref(fmt.Sprintf("k-%d", i%100)): {"Primary"}}, ref(fmt.Sprintf("c-%d", i%100)), ref(fmt.Sprintf("c-%d-b", i%100)))
		recs[i] = rec(opencdc.OperationCreate, fmt.Sprint(i), mirrorKey(fmt.Sprintf("d-%d", i)), opencdc.StructuredData{"dealname": fmt.Sprint(i), "associations": links})
	}
	d := openDestination(t, w.srv, mergeSettings(map[string]string{"resource": "deals"}, settings))
	w.srv.ResetCalls()
	return d, recs
}

// TestLinksCallsPer1000: 1,000 deals, each linked to a company as its
// Primary and to two contacts: what the links cost on top of the objects'
// 10 calls.
func TestLinksCallsPer1000(t *testing.T) {
	for _, tc := range linkCosts {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			w := newLinkWorld(t)
			d, recs := linkedDeals(t, w, tc.settings)
			n, err := d.Write(context.Background(), recs)
			is.NoErr(err)
			is.Equal(n, 1000)
			is.Equal(w.srv.Calls(), tc.want)
			t.Logf("%s: %d calls per 1,000 deals with 3 links each", tc.name, w.srv.TotalCalls())
			companies, contacts := 0, 0
			for _, l := range w.links(t, "companies") {
				companies += len(l)
			}
			for _, l := range w.links(t, "contacts") {
				contacts += len(l)
			}
			is.Equal(companies, 1000)
			is.Equal(contacts, 2000)
		})
	}
}

// BenchmarkLinks reports the calls and time of writing 1,000 deals with 3
// links each (go test -bench Links ./destination/), the simulator in the
// same process.
func BenchmarkLinks(b *testing.B) {
	for _, tc := range linkCosts {
		b.Run(tc.name, func(b *testing.B) {
			calls := 0
			for range b.N {
				b.StopTimer()
				w := newLinkWorld(b)
				d, recs := linkedDeals(b, w, tc.settings)
				b.StartTimer()
				if n, err := d.Write(context.Background(), recs); n != len(recs) || err != nil {
					b.Fatalf("Write = %d, %v", n, err)
				}
				b.StopTimer()
				calls = w.srv.TotalCalls()
			}
			b.ReportMetric(float64(calls), "calls/1000records")
		})
	}
}

// TestLinksRefusedAfterTheObject: when HubSpot refuses the links of
// objects it created, their records fail, and their next delivery makes
// the links without creating the objects again.
func TestLinksRefusedAfterTheObject(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	w := newLinkWorld(t)
	d := openDestination(t, w.srv, map[string]string{"resource": "deals"})
	var recs []opencdc.Record
	for i := range 3 {
		recs = append(recs, rec(opencdc.OperationCreate, fmt.Sprint(i), id(fmt.Sprint("src-", i)),
			opencdc.StructuredData{"dealname": fmt.Sprint(i), "mirror_id": fmt.Sprint("d-", i), "associations": map[string]any{"contacts": []string{w.ids["ct-1"]}}}))
	}
	w.srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/associations/2026-09/deals/contacts/batch/associate/default", Status: 400})
	n, err := d.Write(ctx, recs)
	is.Equal(n, 0)
	is.True(err != nil)
	t.Log(err)
	is.True(strings.HasPrefix(err.Error(), `record 0 (position 0, key {"id":"src-0"}): the create was written, but not its links: `))
	is.Equal(len(w.srv.Objects("deals")), 3)
	is.Equal(w.dealLinks(t)[1], map[string][]string{})

	n, err = d.Write(ctx, recs)
	is.NoErr(err)
	is.Equal(n, 3)
	is.Equal(len(w.srv.Objects("deals")), 3) // none created twice
	is.Equal(w.dealLinks(t)[1], map[string][]string{"d-0": {"ct-1"}, "d-1": {"ct-1"}, "d-2": {"ct-1"}})
}

// TestLinksOfFoldedUpserts: two records of one deal in one batch are one
// upsert; add makes both records' links, replace the later record's.
func TestLinksOfFoldedUpserts(t *testing.T) {
	tests := []struct {
		mode string
		want map[string][]string
	}{
		{"add", map[string][]string{"d-1": {"co-1", "co-2"}}},
		{"replace", map[string][]string{"d-1": {"co-2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			is := is.New(t)
			w := newLinkWorld(t)
			d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id", "associationsMode": tc.mode})
			w.srv.ResetCalls()
			n, err := d.Write(context.Background(), []opencdc.Record{
				rec(opencdc.OperationSnapshot, "p1", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "A", "associations": map[string]any{"companies": []string{"co-1"}}}),
				rec(opencdc.OperationUpdate, "p2", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "B", "associations": map[string]any{"companies": []string{"co-2"}}}),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(w.srv.Calls()["POST /crm/objects/2026-09/deals/batch/upsert"], 1)
			is.Equal(w.links(t, "companies"), tc.want)
		})
	}
}

// TestLinksPendingLifecycle: what becomes of a link that waits.
func TestLinksPendingLifecycle(t *testing.T) {
	deal := func(pos string, op opencdc.Operation, links any) opencdc.Record {
		return of("deals", rec(op, pos, mirrorKey("d-1"), opencdc.StructuredData{"dealname": "Big", "associations": links}))
	}
	waitForCoX := map[string]any{"companies": []string{"co-x"}}
	tests := []struct {
		name string
		mode string
		// then runs after the deal's link to co-x began to wait.
		then func(t *testing.T, w *linkWorld, d *destination.Destination, clock *hubspottest.ManualClock)
		want map[string][]string
	}{
		{"made by another pipeline, found 10 s later", "add", func(t *testing.T, w *linkWorld, d *destination.Destination, clock *hubspottest.ManualClock) {
			w.seed(t, "companies", "co-x", map[string]string{"name": "X"})
			writeOK(t, d, deal("p2", opencdc.OperationUpdate, nil)) // too soon: not tried
			if got := w.links(t, "companies"); len(got) != 0 {
				t.Fatalf("links %v before the retry", got)
			}
			clock.Advance(10 * time.Second)
			writeOK(t, d, deal("p3", opencdc.OperationUpdate, nil))
		}, map[string][]string{"d-1": {"co-x"}}},
		{"replaced before it came", "replace", func(t *testing.T, _ *linkWorld, d *destination.Destination, clock *hubspottest.ManualClock) {
			writeOK(t, d, deal("p2", opencdc.OperationUpdate, map[string]any{"companies": []string{"co-1"}}))
			writeOK(t, d, of("companies", rec(opencdc.OperationCreate, "p3", mirrorKey("co-x"), opencdc.StructuredData{"name": "X"})))
			clock.Advance(10 * time.Minute)
			writeOK(t, d, deal("p4", opencdc.OperationUpdate, nil)) // nothing waits past the bound
		}, map[string][]string{"d-1": {"co-1"}}},
		{"its deal archived", "add", func(t *testing.T, _ *linkWorld, d *destination.Destination, clock *hubspottest.ManualClock) {
			writeOK(t, d, deal("p2", opencdc.OperationDelete, nil))
			clock.Advance(10 * time.Minute)
			writeOK(t, d, of("companies", rec(opencdc.OperationCreate, "p3", mirrorKey("co-x"), opencdc.StructuredData{"name": "X"})))
		}, map[string][]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
			w := newLinkWorld(t)
			d := openDestination(t, w.srv, map[string]string{"resource": "", "idProperty": "mirror_id", "associationsMode": tc.mode}, destination.WithClock(clock))
			writeOK(t, d, deal("p1", opencdc.OperationCreate, waitForCoX))
			tc.then(t, w, d, clock)
			is.Equal(w.links(t, "companies"), tc.want)
		})
	}
}

// writeOK writes one record and wants it written.
func writeOK(t *testing.T, d *destination.Destination, r opencdc.Record) {
	t.Helper()
	if n, err := d.Write(context.Background(), []opencdc.Record{r}); n != 1 || err != nil {
		t.Fatalf("Write = %d, %v; want 1, nil", n, err)
	}
}

// TestLinksToCustomObjects: a custom type is named by its type id, or as
// the source writes it, its Avro field name.
func TestLinksToCustomObjects(t *testing.T) {
	for _, key := range []string{"2-12345", "_2_12345"} {
		t.Run(key, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t, hubspottest.WithCustomObjectType("2-12345", hubspottest.PropertyDef{Name: "model", Type: hubspottest.TypeString}))
			car, err := srv.Create("2-12345", map[string]string{"model": "T"})
			is.NoErr(err)
			d := openDestination(t, srv, map[string]string{"resource": "deals"})
			n, err := d.Write(context.Background(), []opencdc.Record{
				rec(opencdc.OperationCreate, "p1", nil, opencdc.StructuredData{"dealname": "Car deal", "associations": map[string]any{key: []any{map[string]any{"id": car, "labels": []any{}}}}}),
			})
			is.NoErr(err)
			is.Equal(n, 1)
			links, err := srv.AllLinks("deals", "2-12345")
			is.NoErr(err)
			is.Equal(len(links), 1)
			for _, l := range links {
				is.Equal(len(l), 1)
				is.Equal(l[0].ToID, car)
			}
		})
	}
}

// TestLinksKnownIDGone: an id the destination learned for a mirror_id
// whose object was archived elsewhere is forgotten when a link to it
// fails, and the mirror_id read again: the link reaches the object that
// holds it now.
func TestLinksKnownIDGone(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	w := newLinkWorld(t)
	d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id"}, destination.WithClock(clock))
	toCo1 := map[string]any{"companies": []string{"co-1"}}
	writeOK(t, d, rec(opencdc.OperationSnapshot, "p1", mirrorKey("d-1"), opencdc.StructuredData{"dealname": "A", "associations": toCo1}))
	is.NoErr(w.srv.Archive("companies", w.ids["co-1"]))
	is.NoErr(w.srv.Update("companies", w.ids["co-2"], map[string]string{"mirror_id": "co-1"})) // co-1 is this one now
	writeOK(t, d, rec(opencdc.OperationSnapshot, "p2", mirrorKey("d-2"), opencdc.StructuredData{"dealname": "B", "associations": toCo1}))
	clock.Advance(10 * time.Second)
	writeOK(t, d, rec(opencdc.OperationSnapshot, "p3", mirrorKey("d-3"), opencdc.StructuredData{"dealname": "C"}))
	is.Equal(w.links(t, "companies"), map[string][]string{"d-2": {"co-1"}}) // d-1's company is archived
	links, err := w.srv.Links("deals", dealID(t, w, "d-2"), "companies")
	is.NoErr(err)
	is.Equal(len(links), 1)
	is.Equal(links[0].ToID, w.ids["co-2"])
}

// TestLinksOfHubSpotShapedPayload: beside "properties", a HubSpot-shaped
// payload's associations are links too.
func TestLinksOfHubSpotShapedPayload(t *testing.T) {
	is := is.New(t)
	w := newLinkWorld(t)
	d := openDestination(t, w.srv, map[string]string{"resource": "deals", "idProperty": "mirror_id"})
	writeOK(t, d, rec(opencdc.OperationSnapshot, "p1", mirrorKey("d-1"), opencdc.StructuredData{
		"id": "123", "properties": map[string]any{"dealname": "Big"}, "associations": map[string]any{"companies": []string{"co-3"}},
	}))
	is.Equal(w.links(t, "companies"), map[string][]string{"d-1": {"co-3"}})
}

// mirrorKey is a record key naming its object's mirror_id, which with
// idProperty mirror_id stands in for a payload without it.
func mirrorKey(v string) opencdc.Data { return opencdc.StructuredData{"mirror_id": v} }
