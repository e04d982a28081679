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

// listsCost: calls of list_memberships per 1,000 records in the snapshot
// (10 lists of 1,000 contacts), per 1,000 changes in CDC (500 members
// added and 500 removed over the 10 lists), and what comparing one list
// of 10,000 members costs (one member removed), with the longest position
// its records carry. deletesRateShare is 100: this counts calls, not time.
func listsCost(ctx context.Context, t *table, _ sizes) error {
	const lists, perList = 10, 1000
	srv, err := newSim(hubspottest.WithoutRateLimits())
	if err != nil {
		return err
	}
	defer srv.Close()
	ids, err := srv.Seed("contacts", lists*perList+lists*50, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	listIDs := make([]string, lists)
	for i := range listIDs {
		listIDs[i] = srv.CreateList("L"+strconv.Itoa(i), "0-1", hubspot.ListManual)
		srv.AddListMembers(listIDs[i], ids[i*perList:(i+1)*perList]...)
	}
	srv.ResetCalls()
	settings := config.Config{"resource": hubspot.ListMembershipsResourceName, "deletesPollingPeriod": "1ms", "deletesRateShare": "100"}
	src, err := openSource(ctx, srv, settings, source.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		return err
	}
	defer func() { _ = src.Teardown(ctx) }()
	n := lists * perList
	if _, err := readAll(ctx, src, n); err != nil {
		return err
	}
	t.add("list_memberships: source calls / 1,000 records, snapshot (10 lists of 1,000)",
		fmt.Sprintf("%.1f (%s)", 1000*float64(srv.TotalCalls())/float64(n), callsOf(srv)), "-", "-")

	srv.ResetCalls()
	extra := ids[lists*perList:]
	for i, l := range listIDs {
		srv.AddListMembers(l, extra[i*50:(i+1)*50]...)
		srv.RemoveListMembers(l, ids[i*perList:i*perList+50]...)
	}
	if _, err := readAll(ctx, src, 1000); err != nil {
		return err
	}
	t.add("list_memberships: source calls / 1,000 changes, CDC (every list changed)",
		fmt.Sprintf("%.1f (%s)", float64(srv.TotalCalls()), callsOf(srv)), "-", "-")
	return compareCost(ctx, t)
}

// compareCost is what one pass costs that compares a list of 10,000
// members, one of whom was removed.
func compareCost(ctx context.Context, t *table) error {
	const members = 10_000
	srv, err := newSim(hubspottest.WithoutRateLimits())
	if err != nil {
		return err
	}
	defer srv.Close()
	ids, err := srv.Seed("contacts", members, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	l := srv.CreateList("Big", "0-1", hubspot.ListDynamic)
	srv.AddListMembers(l, ids...)
	settings := config.Config{"resource": hubspot.ListMembershipsResourceName, "deletesPollingPeriod": "1ms", "deletesRateShare": "100"}
	src, err := openSource(ctx, srv, settings, source.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		return err
	}
	defer func() { _ = src.Teardown(ctx) }()
	recs, err := readAll(ctx, src, members)
	if err != nil {
		return err
	}
	longest := 0
	for _, r := range recs {
		longest = max(longest, len(r.Position))
	}
	srv.ResetCalls()
	srv.RemoveListMembers(l, ids[members/2])
	if _, err := readAll(ctx, src, 1); err != nil {
		return err
	}
	t.add("list_memberships: source calls of a pass comparing 10,000 members (1 removed)",
		fmt.Sprintf("%d (%s); longest position %d bytes", srv.TotalCalls(), callsOf(srv), longest), "-", "-")
	return nil
}
