package main

import (
	"context"
	"fmt"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
	"github.com/conduitio/conduit-commons/config"
)

// linkedSeed is the fixed seed of the links the associations figures read.
const linkedSeed = 14

// associationsCost: calls per 1,000 records of a source of deals with
// associations to contacts and companies on, for the snapshot and for CDC
// (1,000 deals changed), against the simulator with its rate limits on.
func associationsCost(ctx context.Context, t *table, _ sizes) error {
	const n = 1000
	srv, err := newSim()
	if err != nil {
		return err
	}
	defer srv.Close()
	deals, err := srv.Seed("deals", n, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for typ, count := range map[string]int{"contacts": 2000, "companies": 300} {
		if _, err := srv.Seed(typ, count, nil); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	for typ, per := range map[string]int{"contacts": 2, "companies": 1} {
		if _, err := simdata.SeedLinks(srv, "deals", typ, per, linkedSeed); err != nil {
			return fmt.Errorf("link: %w", err)
		}
	}
	time.Sleep(2 * time.Millisecond) // the snapshot holds what was created before it started
	srv.ResetCalls()
	s, err := openSource(ctx, srv, config.Config{"resource": "deals", "associations": "contacts,companies", "pollingPeriod": "100ms"})
	if err != nil {
		return err
	}
	defer func() { _ = s.Teardown(ctx) }()
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return err
	}
	snapshot := srv.TotalCalls()
	t.add("calls per 1,000 records, snapshot with associations to 2 types (deals, seed 14)", fmt.Sprintf("%d", snapshot*1000/n),
		"1 + 2 per 100 records (30), + Open's", verdict(snapshot*1000/n <= 35))

	for i, id := range deals {
		if err := srv.Update("deals", id, map[string]string{"dealname": fmt.Sprintf("changed %d", i)}); err != nil {
			return fmt.Errorf("update: %w", err)
		}
	}
	srv.ResetCalls()
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return err
	}
	cdc, calls := srv.TotalCalls(), srv.Calls()
	pages := calls["POST /crm/objects/2026-09/deals/search"]
	links := calls["POST /crm/associations/2026-09/deals/contacts/batch/read"] + calls["POST /crm/associations/2026-09/deals/companies/batch/read"]
	t.add("calls per 1,000 records, CDC with associations to 2 types (1,000 deals changed)",
		fmt.Sprintf("%d (%d search pages, %d link reads, the rest deletes scans and polls)", cdc*1000/n, pages, links),
		"at most 2 link reads per search page", verdict(links <= 2*pages))
	return nil
}
