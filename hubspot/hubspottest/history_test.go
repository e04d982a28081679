package hubspottest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestHistoryLimit: a list or batch read that asks for propertiesWithHistory
// is served up to 50 objects and refused past them with a 400
// VALIDATION_ERROR; with WithHistoryPagesLowered a list past them is
// served a page of 50 instead. Without history, 100 is served.
func TestHistoryLimit(t *testing.T) {
	ids := func(n int) string {
		in := make([]string, n)
		for i := range in {
			in[i] = fmt.Sprintf(`{"id":"%d"}`, i+1)
		}
		return `{"properties":[],"propertiesWithHistory":["dealname"],"inputs":[` + strings.Join(in, ",") + `]}`
	}
	tests := []struct {
		name    string
		opts    []hubspottest.Option
		method  string
		path    string
		body    string
		status  int
		results int
		asked   int // the objects the request asked for with history; 0: none
	}{
		{"list 50", nil, "GET", "/crm/objects/2026-09/deals?limit=50&propertiesWithHistory=dealname", "", 200, 50, 50},
		{"list 51", nil, "GET", "/crm/objects/2026-09/deals?limit=51&propertiesWithHistory=dealname", "", 400, 0, 51},
		{"list 100 without history", nil, "GET", "/crm/objects/2026-09/deals?limit=100", "", 200, 100, 0},
		{"list 100 lowered", []hubspottest.Option{hubspottest.WithHistoryPagesLowered()}, "GET", "/crm/objects/2026-09/deals?limit=100&propertiesWithHistory=dealname", "", 200, 50, 100},
		{"batch read 50", nil, "POST", "/crm/objects/2026-09/deals/batch/read", ids(50), 200, 50, 50},
		{"batch read 51", nil, "POST", "/crm/objects/2026-09/deals/batch/read", ids(51), 400, 0, 51},
		{"batch read 51 lowered", []hubspottest.Option{hubspottest.WithHistoryPagesLowered()}, "POST", "/crm/objects/2026-09/deals/batch/read", ids(51), 400, 0, 51},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, append([]hubspottest.Option{hubspottest.WithoutRateLimits()}, tt.opts...)...)
			_, err := srv.Seed("deals", 120, nil)
			is.NoErr(err)
			r := call(t, srv, tt.method, tt.path, tt.body)
			is.Equal(r.status, tt.status)
			var want []int
			if tt.asked > 0 {
				want = []int{tt.asked}
			}
			is.Equal(srv.HistoryReads(), want) // what the request asked
			if tt.status == 400 {
				is.Equal(r.json(t)["category"], "VALIDATION_ERROR")
				is.True(strings.Contains(r.json(t)["message"].(string), "50"))
				return
			}
			is.Equal(len(results(t, r)), tt.results)
		})
	}
}

// TestHistoryKept: every write appends to the history of the properties it
// wrote, with its time and sourceType API; the list, the read of one
// object and batch read return it newest first, for the properties asked.
func TestHistoryKept(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	srv := newServer(t, hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock))
	id, err := srv.Create("deals", map[string]string{"dealname": "A", "dealstage": "appointmentscheduled"})
	is.NoErr(err)
	clock.Advance(time.Hour)
	is.NoErr(srv.Update("deals", id, map[string]string{"dealstage": "qualifiedtobuy"}))
	clock.Advance(time.Hour)
	is.NoErr(srv.Update("deals", id, map[string]string{"dealstage": "closedwon", "amount": "10"}))

	want := []string{"closedwon@2026-03-01T11:00:00.000Z", "qualifiedtobuy@2026-03-01T10:00:00.000Z", "appointmentscheduled@2026-03-01T09:00:00.000Z"}
	seen := func(obj map[string]any) []string {
		hist := obj["propertiesWithHistory"].(map[string]any)
		is.Equal(len(hist), 1) // dealstage alone: dealname was not asked
		var out []string
		for _, v := range hist["dealstage"].([]any) {
			m := v.(map[string]any)
			is.Equal(m["sourceType"], "API")
			out = append(out, fmt.Sprintf("%s@%s", m["value"], m["timestamp"]))
		}
		return out
	}
	list := results(t, call(t, srv, "GET", "/crm/objects/2026-09/deals?propertiesWithHistory=dealstage", ""))
	is.Equal(seen(list[0]), want)
	is.Equal(seen(call(t, srv, "GET", "/crm/objects/2026-09/deals/"+id+"?propertiesWithHistory=dealstage", "").json(t)), want)
	batch := results(t, call(t, srv, "POST", "/crm/objects/2026-09/deals/batch/read",
		`{"properties":[],"propertiesWithHistory":["dealstage"],"inputs":[{"id":"`+id+`"}]}`))
	is.Equal(seen(batch[0]), want)
	is.Equal(len(srv.HistoryOf("deals", id, "amount")), 1)
	// Search takes no propertiesWithHistory: its results carry none.
	found := results(t, call(t, srv, "POST", "/crm/objects/2026-09/deals/search", `{"limit":1,"properties":["dealstage"]}`))
	_, has := found[0]["propertiesWithHistory"]
	is.True(!has)
}
