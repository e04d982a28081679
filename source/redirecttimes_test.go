package source

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/rs/zerolog"
)

// timelessRedirects answers the redirects of strip without their times.
type timelessRedirects struct {
	CMSObjectReader
	strip map[string]bool
}

func (l timelessRedirects) List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error) {
	page, err := l.CMSObjectReader.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	for _, r := range page.Results {
		if l.strip[r.ID()] {
			for _, f := range []string{"created", "updated", "createdAt", "updatedAt"} {
				delete(r, f)
			}
		}
	}
	return page, nil
}

// TestURLRedirectTimes: redirects whose times are named
// as the spec names them (created, updated) and as the v3 reference's
// example does (createdAt, updatedAt) are read, in the snapshot and as
// changes; a redirect with neither fails its own record, logged once with
// the fields named, and the others still come.
func TestURLRedirectTimes(t *testing.T) {
	for _, timesAt := range []bool{false, true} {
		t.Run(fmt.Sprint("timesAt=", timesAt), func(t *testing.T) {
			clock := hubspottest.NewManualClock(at(0))
			opts := []hubspottest.Option{hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock)}
			if timesAt {
				opts = append(opts, hubspottest.WithRedirectTimesAt())
			}
			srv, err := hubspottest.NewServer(opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			client := clientOf(t, srv, clock)
			var ids []string
			for i := range 3 {
				clock.Advance(time.Second)
				id, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: fmt.Sprint("/t/", i), Destination: "https://example.com/", RedirectStyle: 301})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			clock.Advance(10 * time.Second)
			c := Config{PollingPeriod: polling, BufferSize: 10, LookbackWindow: 30 * time.Second, Snapshot: true}
			r := redirectReader(t, client, clock, c, timelessRedirects{CMSObjectReader: client.URLRedirects, strip: map[string]bool{ids[1]: true}})
			var logs bytes.Buffer
			ctx := zerolog.New(&logs).WithContext(context.Background())
			if err := r.refreshCatalog(ctx); err != nil {
				t.Fatal(err)
			}
			read := func() map[string]opencdc.Record {
				got := map[string]opencdc.Record{}
				for end := clock.Now().Add(time.Minute); clock.Now().Before(end); {
					recs, more, err := r.step(ctx)
					if err != nil {
						t.Fatalf("step: %v", err)
					}
					for _, rec := range recs {
						got[rec.Key.(opencdc.StructuredData)["id"].(string)] = rec
					}
					if !more {
						clock.Advance(polling)
					}
				}
				return got
			}
			got := read()
			if len(got) != 2 || got[ids[0]].Operation != opencdc.OperationSnapshot || got[ids[2]].Operation != opencdc.OperationSnapshot {
				t.Fatalf("snapshot: got %v, want the snapshots of %s and %s", got, ids[0], ids[2])
			}
			updated := StructuredPayload(t, got[ids[2]], got[ids[2]].Payload.After)["updatedAt"]
			if updated != srv.Redirects()[2].Updated {
				t.Errorf("updatedAt %v, want %v", updated, srv.Redirects()[2].Updated)
			}
			in, _ := hubspot.CMSObjectOf(map[string]any{"destination": "https://example.com/moved"})
			for _, id := range ids {
				if _, err := client.URLRedirects.Update(context.Background(), id, in); err != nil {
					t.Fatal(err)
				}
			}
			got = read()
			if len(got) != 2 || got[ids[0]].Operation != opencdc.OperationUpdate || got[ids[2]].Operation != opencdc.OperationUpdate {
				t.Fatalf("changes: got %v, want the updates of %s and %s", got, ids[0], ids[2])
			}
			var lines []string
			for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				if strings.Contains(l, `"level":"error"`) {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 || !strings.Contains(lines[0], ids[1]) || !strings.Contains(lines[0], `"fields":["updated","updatedAt"]`) {
				t.Fatalf("error lines %q: want one naming redirect %s and its fields updated and updatedAt", lines, ids[1])
			}
		})
	}
}
