package source

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// polling is the default pollingPeriod.
const polling = 5 * time.Second

// pollFor drives r as ReadN does, for d of simulated time: a step that
// says the source caught up waits polling, any other is followed at once.
// It returns how many records came.
func pollFor(t *testing.T, clock *hubspottest.ManualClock, r *reader, d time.Duration) int {
	t.Helper()
	end, n := clock.Now().Add(d), 0
	for clock.Now().Before(end) {
		recs, more, err := r.step(context.Background())
		if err != nil {
			t.Fatalf("step: %v", err)
		}
		n += len(recs)
		if !more {
			clock.Advance(polling)
		}
	}
	return n
}

// idleReader is a CDC reader at the defaults (pollingPeriod 5s,
// lookbackWindow 30s, deletes on, deletesPollingPeriod auto, a 10 % share)
// of contacts on a simulator with archived of them archived.
func idleReader(t *testing.T, archived int) (*hubspottest.Server, *hubspottest.ManualClock, *reader, string) {
	t.Helper()
	srv, clock := simulator(t)
	ids, err := srv.Seed("contacts", archived+5, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:archived] {
		if err := srv.Archive("contacts", id); err != nil {
			t.Fatal(err)
		}
	}
	c := Config{PollingPeriod: 5 * time.Second, BufferSize: 100, LookbackWindow: 30 * time.Second, Deletes: true, DeletesRateShare: 10}
	c.Resource = "contacts"
	return srv, clock, readerAt(t, clock, clientOf(t, srv, clock), c), ids[archived]
}

// simulator returns a simulator without rate limits on a manual clock.
func simulator(t *testing.T) (*hubspottest.Server, *hubspottest.ManualClock) {
	t.Helper()
	clock := hubspottest.NewManualClock(at(0))
	srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, clock
}

// idleHour drives r through a simulated hour in which nothing changes and
// checks that it emitted nothing, at most one request a poll; it returns
// how many requests the hour took.
func idleHour(t *testing.T, srv *hubspottest.Server, clock *hubspottest.ManualClock, r *reader) int {
	t.Helper()
	srv.ResetCalls()
	if n := pollFor(t, clock, r, time.Hour); n != 0 {
		t.Fatalf("an idle hour emitted %d records", n)
	}
	calls := srv.TotalCalls()
	t.Logf("idle hour: %d requests: %v", calls, srv.Calls())
	if calls > 720 {
		t.Fatalf("an idle hour at pollingPeriod 5s took %d requests, more than 720: %v", calls, srv.Calls())
	}
	return calls
}

// clientOf returns a client of srv on clock, without rate limits.
func clientOf(t *testing.T, srv *hubspottest.Server, clock *hubspottest.ManualClock) *hubspot.Client {
	t.Helper()
	client, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL), hubspot.WithoutRateLimit(), hubspot.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return client
}

// readerAt returns a new reader of c through client, started 10 s on the
// clock after what the test set up, which is so older than the start.
func readerAt(t *testing.T, clock *hubspottest.ManualClock, client *hubspot.Client, c Config) *reader {
	t.Helper()
	cfg, err := c.onlyReaderConfig()
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	r, err := newReader(cfg, servicesOf(client), clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestIdleSourceCost: an idle source at pollingPeriod 5s makes at most one
// request a poll in a simulated hour, its look-backs and its scans of the
// archived objects (one page) included, and still emits a change and a
// delete that come while it is idle.
func TestIdleSourceCost(t *testing.T) {
	srv, clock, r, live := idleReader(t, 3)
	pollFor(t, clock, r, time.Minute) // the first pass, the snapshot
	idleHour(t, srv, clock, r)
	if srv.Calls()["GET /crm/objects/2026-09/contacts"] == 0 {
		t.Fatal("no scan of the archived objects in an idle hour")
	}

	if err := srv.Update("contacts", live, map[string]string{"lastname": "Idle"}); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 1 {
		t.Fatalf("%d records of a change made while idle, want 1", n)
	}
	if err := srv.Archive("contacts", live); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 1 {
		t.Fatalf("%d records of a delete made while idle, want 1", n)
	}
}

// TestLargeArchivePacing: a pass over 30 pages of archived objects takes
// the scan's share of the rate budget (10 % of 190 per 10 s), not more, and
// the change scan still polls every pollingPeriod meanwhile.
func TestLargeArchivePacing(t *testing.T) {
	srv, clock, r, _ := idleReader(t, 3000)
	srv.ResetCalls()
	start := clock.Now()
	for srv.Calls()["GET /crm/objects/2026-09/contacts"] < 30 && clock.Now().Sub(start) < time.Hour {
		pollFor(t, clock, r, 5*time.Second)
	}
	took, calls := clock.Now().Sub(start), srv.Calls()
	lists, searches := calls["GET /crm/objects/2026-09/contacts"], calls["POST /crm/objects/2026-09/contacts/search"]
	t.Logf("30 pages in %s, %d searches", took, searches)
	// 29 pages beyond the first at 19 per 10 s take 15.3 s at least.
	if least := time.Duration(lists-1) * 10 * time.Second / 19; took < least {
		t.Fatalf("%d pages in %s: faster than the share allows (%s)", lists, took, least)
	}
	if took > 30*time.Second {
		t.Fatalf("%d pages took %s, slower than the share allows", lists, took)
	}
	if want := int(took/(5*time.Second)) - 1; searches < want {
		t.Fatalf("%d searches in %s, fewer than one a poll", searches, took)
	}
}

// TestIdleURLRedirectsCost: an idle source of URL redirects at the
// defaults makes at most one request a poll in a simulated hour, its
// look-backs and its reads of the deleted redirects included, and still
// emits a change and a delete that come while it is idle.
func TestIdleURLRedirectsCost(t *testing.T) {
	srv, clock := simulator(t)
	var ids []string
	for i := range 5 {
		id, err := srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/idle/" + strconv.Itoa(i), Destination: "https://example.com/", RedirectStyle: 301})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	client := clientOf(t, srv, clock)
	if err := client.URLRedirects.Delete(context.Background(), ids[0]); err != nil {
		t.Fatal(err)
	}
	c := Config{PollingPeriod: polling, BufferSize: 100, LookbackWindow: 30 * time.Second, Snapshot: true, Deletes: true, DeletesRateShare: 10}
	c.Resource = "cms.urlRedirects"
	r := readerAt(t, clock, client, c) // the delete is older than the start
	if err := r.refreshCatalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 4 {
		t.Fatalf("%d records of the snapshot, want 4", n)
	}
	calls := idleHour(t, srv, clock, r)
	if calls < 700 {
		t.Fatalf("an idle hour at pollingPeriod 5s took %d requests: it did not poll every period", calls)
	}

	dest := "https://example.com/idle"
	in, _ := hubspot.CMSObjectOf(map[string]any{"destination": dest})
	if _, err := client.URLRedirects.Update(context.Background(), ids[1], in); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 1 {
		t.Fatalf("%d records of a change made while idle, want 1", n)
	}
	if err := client.URLRedirects.Delete(context.Background(), ids[1]); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 1 {
		t.Fatalf("%d records of a delete made while idle, want 1", n)
	}
}
