package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
)

// propertyHistoryCost: the calls deals_property_history costs beyond the
// deals' own: per 1,000 history records in the snapshot (1,000 deals whose
// dealstage held 3 values each), and per 1,000 changes in CDC (each deal
// moved to another stage once). Two simulators get the same deals and
// changes, one source reads the deals with propertyHistory: dealstage,
// the other without; the difference in calls is the history's. The
// limits are off: this counts calls, not time.
func propertyHistoryCost(ctx context.Context, t *table, _ sizes) error {
	const deals = 1000
	type run struct {
		srv      *hubspottest.Server
		src      *source.Source
		snapshot int // records the snapshot emits
	}
	runs := make([]*run, 2)
	for i, extra := range []config.Config{{"propertyHistory": "dealstage"}, {}} {
		srv, err := newSim(hubspottest.WithoutRateLimits())
		if err != nil {
			return err
		}
		defer srv.Close()
		ids, err := srv.Seed("deals", deals, func(i int) map[string]string {
			return map[string]string{"dealname": "D" + strconv.Itoa(i), "dealstage": "appointmentscheduled"}
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for _, stage := range []string{"qualifiedtobuy", "presentationscheduled"} {
			for _, id := range ids {
				if err := srv.Update("deals", id, map[string]string{"dealstage": stage}); err != nil {
					return fmt.Errorf("update: %w", err)
				}
			}
		}
		cfg := config.Config{"resource": "deals", "properties": "dealname,dealstage", "pollingPeriod": "100ms", "lookbackWindow": "0s"}
		for k, v := range extra {
			cfg[k] = v
		}
		srv.ResetCalls()
		src, err := openSource(ctx, srv, cfg, source.WithClientOptions(hubspot.WithoutRateLimit()))
		if err != nil {
			return err
		}
		defer func() { _ = src.Teardown(ctx) }()
		r := &run{srv: srv, src: src, snapshot: deals}
		if i == 0 {
			r.snapshot += 3 * deals
		}
		if _, err := readAll(ctx, src, r.snapshot); err != nil {
			return err
		}
		runs[i] = r
	}
	with, without := runs[0], runs[1]
	history := with.snapshot - without.snapshot
	snap := with.srv.TotalCalls() - without.srv.TotalCalls()
	t.add("deals_property_history: source calls / 1,000 history records, snapshot (1,000 deals, 3 values each)",
		fmt.Sprintf("%.1f (%d calls with history: %s; without: %s)", 1000*float64(snap)/float64(history), snap, callsOf(with.srv), callsOf(without.srv)), "-", "-")

	for i, r := range runs {
		r.srv.ResetCalls()
		for _, id := range r.srv.LiveIDs("deals") {
			if err := r.srv.Update("deals", id, map[string]string{"dealstage": "closedwon"}); err != nil {
				return fmt.Errorf("update: %w", err)
			}
		}
		want := deals
		if i == 0 {
			want += deals
		}
		if _, err := readAll(ctx, r.src, want); err != nil {
			return err
		}
	}
	cdc := with.srv.TotalCalls() - without.srv.TotalCalls()
	t.add("deals_property_history: source calls / 1,000 changes, CDC (1,000 deals moved, first poll after)",
		fmt.Sprintf("%.1f (with history: %s; without: %s)", 1000*float64(cdc)/float64(deals), callsOf(with.srv), callsOf(without.srv)), "-", "-")
	return nil
}
