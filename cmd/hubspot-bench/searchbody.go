package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
)

// searchBodyCost: CDC calls per 1,000 changes to contacts with every one
// of their ~600 properties, from a HubSpot that takes any search body and
// from one that refuses bodies over 3,000 characters, where the source
// searches for ids and modified times and batch-reads the properties. The
// limits are off: this counts calls, not time.
func searchBodyCost(ctx context.Context, t *table, sz sizes) error {
	for _, limited := range []bool{false, true} {
		opts := []hubspottest.Option{hubspottest.WithFullPropertyCatalog(), hubspottest.WithoutRateLimits()}
		name := "any search body"
		if limited {
			opts = append(opts, hubspottest.WithSearchBodyLimit())
			name = "3,000-character search bodies (fallback)"
		}
		calls, detail, err := cdcCallsPer1000(ctx, min(1000, sz.rate/2), opts...)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		t.add("CDC calls / 1,000 changes, every property, "+name, fmt.Sprintf("%.1f (%s)", calls, detail), "-", "-")
	}
	return nil
}

// cdcCallsPer1000 reads the snapshot of n contacts, then n changes to
// them, and returns the calls per 1,000 changes the changes took.
func cdcCallsPer1000(ctx context.Context, n int, opts ...hubspottest.Option) (float64, string, error) {
	srv, err := newSim(opts...)
	if err != nil {
		return 0, "", err
	}
	defer srv.Close()
	s, ids, err := seededSource(ctx, srv, n, source.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = s.Teardown(ctx) }()
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return 0, "", err
	}
	srv.ResetCalls()
	for i := range n {
		if err := srv.Update("contacts", ids[i], map[string]string{"firstname": "Changed " + strconv.Itoa(i)}); err != nil {
			return 0, "", fmt.Errorf("update: %w", err)
		}
	}
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return 0, "", err
	}
	return 1000 * float64(srv.TotalCalls()) / float64(n), callsOf(srv), nil
}
