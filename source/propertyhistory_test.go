package source_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const dealHistory = "deals_property_history"

// historySettings read deals, and the history of their dealstage.
var historySettings = map[string]string{"resource": "deals", "properties": "dealname,dealstage", "propertyHistory": "dealstage"}

// historyBehaviours are the simulator's two readings of a list page past
// 50 objects with propertiesWithHistory: a 400, or a page of 50.
var historyBehaviours = map[string][]hubspottest.Option{
	"400 past 50":  nil,
	"lowered page": {hubspottest.WithHistoryPagesLowered()},
}

// historyOf returns the history records among recs, by their key
// (object id, property, timestamp), failing on a key seen twice.
func historyOf(t *testing.T, recs []opencdc.Record) map[string]opencdc.StructuredData {
	t.Helper()
	out := map[string]opencdc.StructuredData{}
	for _, r := range recs {
		if col, _ := r.Metadata.GetCollection(); col != dealHistory {
			continue
		}
		k := r.Key.(opencdc.StructuredData)
		key := fmt.Sprintf("%s/%s/%s", k["objectId"], k["property"], k["timestamp"].(time.Time).UTC().Format(time.RFC3339Nano))
		if _, ok := out[key]; ok {
			t.Errorf("value %s emitted twice", key)
		}
		out[key] = payload(t, r)
	}
	return out
}

// wantHistory is HubSpot's truth: every value of the deals' dealstage, by
// key, and its value.
func wantHistory(srv *hubspottest.Server) map[string]string {
	out := map[string]string{}
	for _, o := range srv.Objects("deals") {
		if o.MergedInto != "" {
			continue
		}
		for _, v := range srv.HistoryOf("deals", o.ID, "dealstage") {
			out[fmt.Sprintf("%s/dealstage/%s", o.ID, v.Timestamp.UTC().Format(time.RFC3339Nano))] = v.Value
		}
	}
	return out
}

// checkHistory compares the history records with HubSpot's truth.
func checkHistory(t *testing.T, recs []opencdc.Record, srv *hubspottest.Server) {
	t.Helper()
	got := map[string]string{}
	for k, p := range historyOf(t, recs) {
		got[k] = fmt.Sprint(p["value"])
	}
	want := wantHistory(srv)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history: %d values, want %d\n got %v\nwant %v", len(got), len(want), got, want)
	}
}

// createDeals creates n deals at stage, a millisecond apart.
func createDeals(t *testing.T, e env, n int, stage string) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		id, err := e.srv.Create("deals", map[string]string{"dealname": fmt.Sprintf("D%d", i), "dealstage": stage})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		e.clock.Advance(time.Millisecond)
	}
	return ids
}

// moveDeals moves each deal of ids to stage, a millisecond apart.
func moveDeals(t *testing.T, e env, ids []string, stage string) {
	t.Helper()
	for _, id := range ids {
		if err := e.srv.Update("deals", id, map[string]string{"dealstage": stage}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Millisecond)
	}
}

// TestPropertyHistorySnapshotThenCDC: beside the deals, each value their
// dealstage held comes as a snapshot record of deals_property_history,
// typed, keyed by object id, property and time and carrying the source
// fields; then each new value is a create, once, and a deal's archive
// retracts none; under both readings of a page past 50, each list page
// and batch read of history asks for 50 objects at most, so that 130 deals
// cost 3 list pages and 120 changes 3 batch reads.
func TestPropertyHistorySnapshotThenCDC(t *testing.T) {
	for name, opts := range historyBehaviours {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, opts...)
			ids := createDeals(t, e, 130, "appointmentscheduled")
			e.tick()
			moveDeals(t, e, ids[:40], "qualifiedtobuy")
			e.tick()
			src := openSource(t, e, historySettings, nil)
			e.srv.ResetCalls()
			recs := e.readUntil(t, src, time.Minute, func(recs []opencdc.Record) bool { return len(recs) >= 300 })
			recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 130 + 170})
			encodes(t, recs)
			checkHistory(t, recs, e.srv)
			for _, r := range recs {
				if col, _ := r.Metadata.GetCollection(); col != dealHistory {
					continue
				}
				p := payload(t, r)
				is.Equal(p["property"], "dealstage")
				is.Equal(p["sourceType"], "API")
				is.Equal(p["sourceId"], nil)
				is.Equal(p["objectId"], r.Key.(opencdc.StructuredData)["objectId"])
				subject, err := r.Metadata.GetPayloadSchemaSubject()
				is.NoErr(err)
				is.Equal(subject, dealHistory+".payload")
			}
			asked := e.srv.HistoryReads()
			is.Equal(asked[:3], []int{50, 50, 50}) // 3 list pages: 50, 50 and 30 deals
			is.Equal(slices.Max(asked), hubspot.MaxHistoryLimit)

			e.srv.ResetCalls()
			moveDeals(t, e, ids[:120], "closedwon")
			is.NoErr(e.srv.Archive("deals", ids[0]))
			e.settle()
			// Read without a deadline that could cut a batch read off (and
			// make it again) until the values are all there.
			var cdc []opencdc.Record
			for len(historyOf(t, cdc)) < 120 {
				recs, err := src.ReadN(t.Context(), 1000)
				is.NoErr(err)
				cdc = append(cdc, recs...)
			}
			// 3 batch reads of 50 changed deals at most (the archived one
			// comes from the archived list, which search no longer shows).
			is.Equal(e.srv.Calls()["POST /crm/objects/2026-09/deals/batch/read"], 3)
			cdc = append(cdc, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			is.Equal(len(historyOf(t, cdc)), 120)
			is.Equal(slices.Max(e.srv.HistoryReads()), hubspot.MaxHistoryLimit)
			for _, r := range cdc {
				if col, _ := r.Metadata.GetCollection(); col == dealHistory {
					is.Equal(r.Operation, opencdc.OperationCreate)
					is.Equal(payload(t, r)["value"], "closedwon")
				}
			}
			all := historyOf(t, append(recs, cdc...))
			is.Equal(len(all), 130+40+120) // the archived deal's values stay
			e.clock.Advance(time.Minute)
			is.Equal(len(historyOf(t, e.readQuiet(t, src, 100*time.Millisecond, time.Minute))), 0) // no repeats
		})
	}
}

// TestPropertyHistoryRestartAtAckedPositions: random dealstage changes and
// new deals during and after the snapshot, the source stopped 10 times at
// a random acked position and opened there again: the history records
// hold every value each deal's dealstage held, none twice.
func TestPropertyHistoryRestartAtAckedPositions(t *testing.T) {
	stages := []string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "closedwon", "closedlost"}
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			e := newEnv(t)
			rng := rand.New(rand.NewPCG(seed, 28))
			ids := createDeals(t, e, 120, stages[0])
			src := openSource(t, e, historySettings, nil)
			var acked []opencdc.Record
			for restarts := 0; restarts < 10; {
				e.tick()
				for range 1 + rng.IntN(8) {
					if rng.IntN(4) == 0 {
						ids = append(ids, createDeals(t, e, 1, stages[0])...)
						continue
					}
					moveDeals(t, e, []string{ids[rng.IntN(len(ids))]}, stages[rng.IntN(len(stages))])
				}
				var got []opencdc.Record
				if got, src = readAndRestart(t, e, src, historySettings, rng, 4, 30); len(got) > 0 {
					acked = append(acked, got...)
					restarts++
				}
			}
			e.settle()
			want := len(wantHistory(e.srv))
			acked = append(acked, e.readUntil(t, src, time.Minute, func(recs []opencdc.Record) bool {
				return len(historyOf(t, append(slices.Clip(acked), recs...))) >= want
			})...)
			acked = append(acked, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			checkHistory(t, acked, e.srv)
			t.Logf("%d records acked, %d of history", len(acked), len(historyOf(t, acked)))
		})
	}
}

// TestPropertyHistoryOptIn: * reads no history, and a history names only
// properties HubSpot lists and resources read.
func TestPropertyHistoryOptIn(t *testing.T) {
	e := newEnv(t)
	createDeals(t, e, 3, "appointmentscheduled")
	tests := []struct {
		name     string
		settings map[string]string
		err      string
		history  int
	}{
		{"star reads none", map[string]string{"resource": "", "resources": "*"}, "", 0},
		{"star with one", map[string]string{"resource": "", "resources": "*", "propertyHistory": "deals.dealstage"}, "", 3},
		{"qualified", map[string]string{"resource": "", "resources": "deals", "propertyHistory": "deals.dealstage"}, "", 3},
		{"unqualified with resources", map[string]string{"resource": "", "resources": "deals", "propertyHistory": "dealstage"}, `qualify each property`, 0},
		{"unknown property", map[string]string{"resource": "deals", "propertyHistory": "dealstag"}, `deals has no property "dealstag"`, 0},
		{"resource not read", map[string]string{"resource": "", "resources": "deals", "propertyHistory": "contacts.email"}, "not one of the resources read", 0},
		{"not a CRM object", map[string]string{"resource": "", "resources": "deal_pipelines", "propertyHistory": "deal_pipelines.label"}, "has no property history", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			src, err := tryOpen(e, tt.settings, nil)
			if tt.err != "" {
				is.True(err != nil)
				is.True(strings.Contains(err.Error(), tt.err)) // the error says what is wrong
				return
			}
			is.NoErr(err)
			defer src.Teardown(t.Context()) //nolint:errcheck // the test is over
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(len(historyOf(t, recs)), tt.history)
		})
	}
}
