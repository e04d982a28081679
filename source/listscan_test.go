package source

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
)

// lateRedirects shows the versions of the redirects in late only lag
// after they were made, as an index that lags some writes would.
type lateRedirects struct {
	CMSObjectReader
	now  func() time.Time
	late map[string]bool
	lag  time.Duration
}

func (l lateRedirects) List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error) {
	page, err := l.CMSObjectReader.List(ctx, opts)
	if err != nil || opts.Archived {
		return page, err
	}
	shown := page.Results[:0]
	for _, r := range page.Results {
		updated, _, err := r.Time("updated")
		if err != nil {
			return nil, err
		}
		if !l.late[r.ID()] || !l.now().Before(updated.Add(l.lag)) {
			shown = append(shown, r)
		}
	}
	page.Results = shown
	return page, nil
}

// redirectReader is a new reader of URL redirects at c, which reads them
// through list (a wrapper of client.URLRedirects).
func redirectReader(t *testing.T, client *hubspot.Client, clock *hubspottest.ManualClock, c Config, list CMSObjectReader) *reader {
	t.Helper()
	c.Resource = hubspot.URLRedirectsResourceName
	cfg, err := c.onlyReaderConfig()
	if err != nil {
		t.Fatal(err)
	}
	svc := servicesOf(client)
	svc.cmsObjects = func(hubspot.CMSSpec, bool) CMSObjectReader { return list }
	r, err := newReader(cfg, svc, clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestURLRedirectsLateVersions: a third of the redirects' versions become
// visible 10 s after they were made, after the scan went by newer ones;
// the look-back after each caught-up poll still emits every last version.
func TestURLRedirectsLateVersions(t *testing.T) {
	srv, clock := simulator(t)
	client := clientOf(t, srv, clock)
	late := map[string]bool{}
	c := Config{PollingPeriod: polling, BufferSize: 10, LookbackWindow: 30 * time.Second, Deletes: true, DeletesRateShare: 10}
	r := redirectReader(t, client, clock, c, lateRedirects{CMSObjectReader: client.URLRedirects, now: clock.Now, late: late, lag: 10 * time.Second})
	if err := r.refreshCatalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{} // id: the last destination emitted
	read := func(d time.Duration) {
		for end := clock.Now().Add(d); clock.Now().Before(end); {
			recs, more, err := r.step(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range recs {
				got[rec.Key.(opencdc.StructuredData)["id"].(string)] = StructuredPayload(t, rec, rec.Payload.After)["destination"]
			}
			if !more {
				clock.Advance(polling)
			}
		}
	}
	var ids []string
	for i := range 60 {
		clock.Advance(time.Second)
		if i%2 == 0 || len(ids) == 0 {
			id, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/late/" + fmt.Sprint(i), Destination: "https://example.com/" + fmt.Sprint(i), RedirectStyle: 301})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
			late[id] = i%3 == 0
		} else {
			dest := "https://example.com/moved/" + fmt.Sprint(i)
			in, _ := hubspot.CMSObjectOf(map[string]any{"destination": dest})
			if _, err := client.URLRedirects.Update(context.Background(), ids[i%len(ids)], in); err != nil {
				t.Fatal(err)
			}
		}
		read(polling)
	}
	read(2 * time.Minute)
	for _, rd := range srv.Redirects() {
		if got[rd.ID] != rd.Destination {
			t.Errorf("redirect %s (late: %v): destination %v emitted last, want %s", rd.ID, late[rd.ID], got[rd.ID], rd.Destination)
		}
	}
}
