package source_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// threeTypes are the resources of the tests of several resources.
var threeTypes = []string{"contacts", "companies", "deals"}

// byCollection splits records by their opencdc.collection, failing the test
// on a record without one.
func byCollection(t *testing.T, recs []opencdc.Record) map[string][]opencdc.Record {
	t.Helper()
	out := map[string][]opencdc.Record{}
	for _, r := range recs {
		c, err := r.Metadata.GetCollection()
		if err != nil || c == "" {
			t.Fatalf("record %s has no collection: %v", r.Key, err)
		}
		out[c] = append(out[c], r)
	}
	return out
}

// stateOf returns a resource's state in a record's position.
func stateOf(t *testing.T, r opencdc.Record, resource string) *source.Position {
	t.Helper()
	states, _, err := source.ParsePositions(r.Position, resource)
	if err != nil {
		t.Fatalf("position %s: %v", r.Position, err)
	}
	return states[resource]
}

// change makes n random changes to objects of the types: updates, creates
// and archives, and returns the ids with the ones created.
func change(t *testing.T, srv *hubspottest.Server, rng *rand.Rand, ids map[string][]string, n int) {
	t.Helper()
	for range n {
		typ := threeTypes[rng.IntN(len(threeTypes))]
		id := ids[typ][rng.IntN(len(ids[typ]))]
		prop := map[string]string{"contacts": "lastname", "companies": "name", "deals": "dealname"}[typ]
		switch rng.IntN(8) {
		case 0:
			_ = srv.Archive(typ, id) // archived already: no change
		case 1:
			created, err := srv.Create(typ, map[string]string{prop: fmt.Sprintf("new %d", rng.Int())})
			if err != nil {
				t.Fatal(err)
			}
			ids[typ] = append(ids[typ], created)
		default:
			_ = srv.Update(typ, id, map[string]string{prop: fmt.Sprintf("v%d", rng.IntN(1000))})
		}
	}
}

// drain reads what is left, once the deletes are due.
func (e env) drain(t *testing.T, src *source.Source) []opencdc.Record {
	t.Helper()
	e.settle()
	return e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
}

// replicas applies each type's records to a replica of its own and checks
// it against the simulator (creates: as replica.checkState).
func replicas(t *testing.T, e env, per map[string][]opencdc.Record, start time.Time, creates bool) map[string]*replica {
	t.Helper()
	if len(per) != len(threeTypes) {
		t.Fatalf("records of %d collections, want %v", len(per), threeTypes)
	}
	out := map[string]*replica{}
	for _, typ := range threeTypes {
		rp := newReplica()
		rp.apply(t, per[typ])
		rp.checkState(t, e.srv, typ, start, propsOf(t, typ), creates)
		out[typ] = rp
	}
	return out
}

// TestSeveralResources reads contacts, companies and deals with one
// source through a snapshot of 5,000, 1,000 and 1,000 objects and changes
// to all three during and after it: every change comes out with its type's
// collection, none is lost, and the deals' changes come while the contacts'
// snapshot still runs, as each type reads in turn.
func TestSeveralResources(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	rng := rand.New(rand.NewPCG(14, 1))
	ids := map[string][]string{}
	for typ, n := range map[string]int{"contacts": 5000, "companies": 1000, "deals": 1000} {
		ids[typ] = seed(t, e.srv, typ, n)
	}
	// Created a while before the start: CDC's first poll after a snapshot
	// that searched reads again only the look-back window before it.
	e.clock.Advance(time.Minute)
	settings := map[string]string{"resource": "", "resources": strings.Join(threeTypes, ",")}
	src := openSource(t, e, settings, nil)
	start := e.clock.Now()

	var recs []opencdc.Record
	dealChangeAt, contactsSnapshotEnd := -1, -1
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		got, err := src.ReadN(ctx, 100)
		cancel()
		if err != nil {
			t.Fatalf("after %d records (%v), next poll %s, now %s: %v", len(recs), countOps(recs), source.NextPoll(src), e.clock.Now(), err)
		}
		recs = append(recs, got...)
		e.tick()
		switch {
		case stateOf(t, recs[len(recs)-1], "deals").Mode == source.ModeCDC && dealChangeAt < 0:
			// The deals' snapshot is over: a change to a deal now must
			// come before the contacts' snapshot is.
			is.NoErr(e.srv.Update("deals", ids["deals"][7], map[string]string{"dealname": "changed in the contacts' snapshot"}))
			dealChangeAt = len(recs)
		default:
			change(t, e.srv, rng, ids, 4)
		}
		if stateOf(t, recs[len(recs)-1], "contacts").Mode == source.ModeCDC {
			contactsSnapshotEnd = len(recs)
			break
		}
	}
	is.True(dealChangeAt > 0)
	is.True(contactsSnapshotEnd > 0)
	dealUpdate := -1
	for i, r := range recs[dealChangeAt:] {
		if c, _ := r.Metadata.GetCollection(); c == "deals" && payload(t, r)["dealname"] == "changed in the contacts' snapshot" {
			dealUpdate = dealChangeAt + i
			break
		}
	}
	t.Logf("deals' snapshot done at record %d, the deal's change came at %d, contacts' snapshot done at %d", dealChangeAt, dealUpdate, contactsSnapshotEnd)
	is.True(dealUpdate > 0)
	is.True(dealUpdate < contactsSnapshotEnd) // no type waits for another's snapshot
	// The deals' next turn comes after one request of each other type: a
	// page of the contacts' snapshot (up to 200 records, from its search
	// end) and the companies' poll; the reads of 100 records above add one
	// or two. A few pages of records, not the rest of the snapshot.
	is.True(dealUpdate-dealChangeAt <= 600)

	for range 5 {
		change(t, e.srv, rng, ids, 40)
		e.tick()
		recs = append(recs, e.readQuiet(t, src, 300*time.Millisecond, time.Minute)...)
	}
	recs = append(recs, e.drain(t, src)...)
	t.Logf("position of the last record, three resources: %d bytes", len(recs[len(recs)-1].Position))
	per := byCollection(t, recs)
	for typ, rp := range replicas(t, e, per, start, true) {
		is.Equal(rp.repeats, 0) // every change once
		for _, r := range per[typ] {
			sch, err := r.Metadata.GetPayloadSchemaSubject()
			is.NoErr(err)
			is.True(strings.HasPrefix(sch, typ+"."))
		}
	}
}

// TestSeveralResourcesRestartAtAckedPositions restarts a source of three
// types from 20 acked positions, with changes in between: nothing is lost.
func TestSeveralResourcesRestartAtAckedPositions(t *testing.T) {
	e := newEnv(t)
	rng := rand.New(rand.NewPCG(14, 20))
	ids := map[string][]string{}
	for _, typ := range threeTypes {
		ids[typ] = seed(t, e.srv, typ, 150)
	}
	settings := map[string]string{"resource": "", "resources": strings.Join(threeTypes, ","), "bufferSize": "30"}
	src := openSource(t, e, settings, nil)
	start := e.clock.Now()
	var acked []opencdc.Record
	restarts := 0
	for restarts < 20 {
		e.tick()
		change(t, e.srv, rng, ids, rng.IntN(30))
		var got []opencdc.Record
		got, src = readAndRestart(t, e, src, settings, rng, 5, 60)
		if len(got) > 0 {
			restarts++
		}
		acked = append(acked, got...)
	}
	acked = append(acked, e.drain(t, src)...)
	// As in TestRestartAtRandomAckedPositions, a create may come as an
	// update after a restart.
	replicas(t, e, byCollection(t, acked), start, false)
}

// TestSingleResourcePositionResumes: a position of one resource, of this
// connector or the earlier one, resumes as the state of the first resource
// of resources; the others, and a resource added later, start with a
// snapshot of their own, while the first goes on from where it was.
func TestSingleResourcePositionResumes(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	contacts := seed(t, e.srv, "contacts", 120)
	seed(t, e.srv, "companies", 30)
	seed(t, e.srv, "deals", 20)
	e.clock.Advance(time.Minute)

	// A pipeline of contacts alone, which read all of them.
	src := openSource(t, e, nil, nil)
	single := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(countOps(single)[opencdc.OperationSnapshot], 120)
	is.NoErr(src.Teardown(context.Background()))
	is.NoErr(e.srv.Update("contacts", contacts[3], map[string]string{"lastname": "After"}))
	e.tick()

	for _, tc := range []struct {
		name string
		pos  opencdc.Position
	}{
		{"this connector's", single[len(single)-1].Position},
		{"the earlier connector's", opencdc.Position(`{"mode":"cdc","timestamp":"` + t0.Add(30*time.Second).Format(time.RFC3339Nano) + `"}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			settings := map[string]string{"resource": "", "resources": "contacts,companies"}
			src := openSource(t, e, settings, tc.pos)
			recs := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
			per := byCollection(t, recs)
			is.Equal(countOps(per["contacts"]), map[opencdc.Operation]int{opencdc.OperationUpdate: 1})
			is.Equal(recordID(t, per["contacts"][0]), contacts[3]) // the change after the position, and no snapshot
			is.Equal(countOps(per["companies"])[opencdc.OperationSnapshot], 30)

			// deals added to the configuration: its snapshot, and nothing
			// again of the others.
			is.NoErr(src.Teardown(context.Background()))
			settings["resources"] = "contacts,companies,deals"
			src = openSource(t, e, settings, recs[len(recs)-1].Position)
			added := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
			is.Equal(countOps(added["deals"])[opencdc.OperationSnapshot], 20)
			is.Equal(countOps(added["companies"])[opencdc.OperationSnapshot], 0)
			is.Equal(countOps(added["contacts"])[opencdc.OperationSnapshot], 0)
			last := added["deals"][len(added["deals"])-1]
			for _, typ := range threeTypes {
				is.True(stateOf(t, last, typ) != nil) // every record holds every type's state
			}
		})
	}
}

// TestAllResources: resources * reads every CRM object type the token can
// read, the account's custom objects among them, and leaves out a type the
// token lacks the scope for (a 403 on its list), with one log line naming
// it.
func TestAllResources(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithCustomObject("2-777", "cars"))
	seed(t, e.srv, "contacts", 3)
	seed(t, e.srv, "2-777", 2)
	seed(t, e.srv, "leads", 4)
	// Any version's path of the leads' list.
	e.srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/*/*/leads", Kind: hubspottest.FaultStatus, Status: http.StatusForbidden, Times: 1000})
	var logs bytes.Buffer
	src, err := tryOpenCtx(zerolog.New(&logs).WithContext(context.Background()), e, map[string]string{"resource": "", "resources": "*"}, nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	e.tick()
	per := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
	is.Equal(len(per["contacts"]), 3)
	is.Equal(len(per["2-777"]), 2)
	var names []string
	for name := range per {
		names = append(names, name)
	}
	slices.Sort(names)
	is.Equal(names, []string{"2-777", "contacts"}) // leads left out; the other types are empty
	var about []string
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, `"resource":"leads"`) {
			about = append(about, line)
		}
	}
	if len(about) != 1 || !strings.Contains(about[0], "may not read") {
		t.Fatalf("log lines about leads: %q, want one saying the token may not read it", about)
	}
}

func TestResourcesConfig(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]string
		wantErr  string
	}{
		{"neither", map[string]string{"resource": ""}, `"resource": is not set`},
		{"both", map[string]string{"resources": "deals"}, `"resources": is set, and "resource" is set`},
		{"twice", map[string]string{"resource": "", "resources": "contacts, 0-1"}, `names contacts twice ("contacts" and "0-1")`},
		{"unknown", map[string]string{"resource": "", "resources": "contacts,dealz"}, `unknown resource "dealz"`},
		{"all and more", map[string]string{"resource": "", "resources": "*,contacts"}, `list no other resource with it`},
		{"unqualified property", map[string]string{"resource": "", "resources": "contacts,deals", "properties": "email"}, `"properties": "email": with several resources, qualify each property`},
		{"property of another type", map[string]string{"resource": "", "resources": "contacts,deals", "properties": "companies.name"}, `"companies.name": companies is not one of the resources read`},
		{"qualified extra", map[string]string{"resource": "", "resources": "contacts,deals", "extraProperties": "deals.amount, crm.contacts.city"}, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			src, err := tryOpen(e, tc.settings, nil)
			if tc.wantErr == "" {
				is.NoErr(err)
				is.NoErr(src.Teardown(context.Background()))
				return
			}
			is.True(err != nil)
			t.Log(err)
			is.True(strings.Contains(err.Error(), tc.wantErr))
		})
	}
}

// TestQualifiedProperties: with several resources, each reads the
// properties qualified with its name, and every property when none is.
func TestQualifiedProperties(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	seed(t, e.srv, "contacts", 1)
	seed(t, e.srv, "deals", 1)
	src := openSource(t, e, map[string]string{"resource": "", "resources": "contacts,deals", "properties": "contacts.email"}, nil)
	per := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
	contact := payload(t, per["contacts"][0])
	_, hasEmail := contact["email"]
	_, hasLastname := contact["lastname"]
	is.True(hasEmail)
	is.True(!hasLastname)
	deal := payload(t, per["deals"][0])
	for _, p := range []string{"dealname", "amount", "pipeline", "dealstage"} {
		_, ok := deal[p]
		is.True(ok) // every deal property
	}
}

// TestNamedPositionResumesItsResource: a position of one resource written
// by this connector names its resource, so it resumes that resource
// wherever resources lists it.
func TestNamedPositionResumesItsResource(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	seed(t, e.srv, "contacts", 50)
	deals := seed(t, e.srv, "deals", 20)
	e.clock.Advance(time.Minute)
	src := openSource(t, e, map[string]string{"resource": "deals"}, nil)
	single := e.readQuiet(t, src, 300*time.Millisecond, time.Minute)
	is.Equal(countOps(single)[opencdc.OperationSnapshot], 20)
	is.NoErr(src.Teardown(context.Background()))
	is.NoErr(e.srv.Update("deals", deals[2], map[string]string{"dealname": "After"}))
	e.tick()

	src = openSource(t, e, map[string]string{"resource": "", "resources": "contacts,deals"}, single[len(single)-1].Position)
	per := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
	is.Equal(countOps(per["contacts"])[opencdc.OperationSnapshot], 50) // a snapshot of its own
	is.Equal(countOps(per["deals"])[opencdc.OperationSnapshot], 0)     // deals go on
	is.Equal(uniqueIDs(t, per["deals"]), []string{deals[2]})
}

// crmTypes are the CRM object types of the resource table: what resources
// * reads besides the account's custom objects.
func crmTypes() []string {
	var out []string
	for _, r := range hubspot.Resources() {
		if r.Kind == hubspot.KindCRMObject && !r.IsOwners {
			out = append(out, r.Name)
		}
	}
	return out
}

// TestAllResourcesReadsEveryType: resources * reads every CRM object type
// of the resource table, those of HubSpot's object library (leads,
// invoices, ...) among them: the object seeded of each comes out once,
// under its type's opencdc.collection.
func TestAllResourcesReadsEveryType(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	types := crmTypes()
	is.True(slices.Contains(types, "leads") && slices.Contains(types, "partner_services"))
	seeded := map[string]string{}
	for _, typ := range types {
		seeded[typ] = seed(t, e.srv, typ, 1)[0]
	}
	src := openSource(t, e, map[string]string{"resource": "", "resources": "*"}, nil)
	per := byCollection(t, e.readQuiet(t, src, 300*time.Millisecond, time.Minute))
	is.Equal(len(per), len(types)) // no other collection
	for _, typ := range types {
		recs := per[typ]
		if len(recs) != 1 {
			t.Fatalf("%s: %d records, want 1", typ, len(recs))
		}
		is.Equal(recordID(t, recs[0]), seeded[typ])
		is.Equal(recs[0].Operation, opencdc.OperationSnapshot)
	}
}
