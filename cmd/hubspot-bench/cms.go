package main

import (
	"context"
	"fmt"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/config"
)

// cmsScanCost: calls per 1,000 CMS changes (blog posts) under the list
// scan, which is correct in any order of results: once where the list
// sorts by updatedAt as HubSpot documents (a page moves the cursor, checked
// by the next page's total), once where it ignores every sort (creation
// order: slices of updated times cut until one page holds each), against
// the simulator with its rate limits on. The snapshot of the 1,000 posts
// is measured too.
func cmsScanCost(ctx context.Context, t *table, _ sizes) error {
	for _, mode := range []struct {
		name string
		sort hubspottest.CMSSort
	}{{"sorts as documented", hubspottest.CMSSortDocumented}, {"sorts ignored", hubspottest.CMSSortIgnored}} {
		snapshot, changes, err := cmsCalls(ctx, mode.sort)
		if err != nil {
			return err
		}
		t.add(fmt.Sprintf("calls per 1,000 records, blog posts snapshot, %s", mode.name), fmt.Sprint(snapshot),
			"10 pages of 100, + Open's and the deletes scan's", "-")
		t.add(fmt.Sprintf("calls per 1,000 CMS changes (blog posts), %s", mode.name), fmt.Sprint(changes),
			"10 pages of 100, + polls and deletes scans", "-")
	}
	return nil
}

// cmsCalls returns the calls of the snapshot of 1,000 posts and of
// reading a change to each.
func cmsCalls(ctx context.Context, sort hubspottest.CMSSort) (snapshot, changes int, err error) {
	const n = 1000
	srv, err := newSim(hubspottest.WithCMSSort(sort))
	if err != nil {
		return 0, 0, err
	}
	defer srv.Close()
	ids := make([]string, n)
	for i := range ids {
		if ids[i], err = srv.AddCMS(hubspottest.BlogPosts, map[string]any{"name": fmt.Sprint("Post ", i), "contentGroupId": "7"}); err != nil {
			return 0, 0, fmt.Errorf("seed: %w", err)
		}
		if i%10 == 0 {
			time.Sleep(time.Millisecond) // posts made over time, some in one millisecond
		}
	}
	time.Sleep(2 * time.Millisecond) // the snapshot holds what was created before it started
	srv.ResetCalls()
	s, err := openSource(ctx, srv, config.Config{"resource": "blog_posts", "pollingPeriod": "100ms"})
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = s.Teardown(ctx) }()
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return 0, 0, err
	}
	snapshot = srv.TotalCalls()
	// Changed in reverse creation order, so that creation order is not
	// update order.
	for i := n - 1; i >= 0; i-- {
		if err := srv.UpdateCMS(hubspottest.BlogPosts, ids[i], map[string]any{"postSummary": fmt.Sprint("changed ", i)}); err != nil {
			return 0, 0, fmt.Errorf("update: %w", err)
		}
		if i%10 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	srv.ResetCalls()
	if err := readN(ctx, s, n, 5*time.Minute); err != nil {
		return 0, 0, err
	}
	return snapshot, srv.TotalCalls(), nil
}
