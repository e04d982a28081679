package source

import (
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// idleOwners is a CDC reader of owners at the defaults (pollingPeriod 5s,
// deletes on, deletesPollingPeriod auto, a 10 % share) on a simulator with
// five live owners and archived archived ones, after its snapshot; it
// returns a live owner's id.
func idleOwners(t *testing.T, archived int) (*hubspottest.Server, *hubspottest.ManualClock, *reader, string) {
	t.Helper()
	srv, clock := simulator(t)
	for i := range archived {
		if err := srv.ArchiveOwner(srv.AddOwner("gone"+strconv.Itoa(i)+"@example.com", "Gone", strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	var live string
	for i := range 5 {
		live = srv.AddOwner("o"+strconv.Itoa(i)+"@example.com", "O", strconv.Itoa(i))
	}
	c := Config{PollingPeriod: polling, BufferSize: 100, LookbackWindow: 30 * time.Second, Snapshot: true, Deletes: true, DeletesRateShare: 10}
	c.Resource = "owners"
	r := readerAt(t, clock, clientOf(t, srv, clock), c)
	if n := pollFor(t, clock, r, time.Minute); n != 5 {
		t.Fatalf("%d records of the snapshot, want 5", n)
	}
	return srv, clock, r, live
}

// TestIdleOwnersCost: an idle source of owners makes at most one request
// a poll in a simulated hour, its reads of the archived owners included
// (they take a caught-up poll's turn), and still emits the delete of an owner deactivated while it is idle.
func TestIdleOwnersCost(t *testing.T) {
	srv, clock, r, live := idleOwners(t, 3)
	// The live and the archived list share a path: the delete below shows
	// that the archived one is read within the one request a poll.
	idleHour(t, srv, clock, r)
	if err := srv.ArchiveOwner(live); err != nil {
		t.Fatal(err)
	}
	if n := pollFor(t, clock, r, time.Minute); n != 1 {
		t.Fatalf("%d records of an owner deactivated while idle, want 1", n)
	}
}

// TestLargeOwnerArchivePacing: after the snapshot, a pass over 15 pages of
// archived owners takes the scan's share of the rate budget (10 % of 190
// per 10 s), as the CRM deletes scan does, and finds the owner that left.
func TestLargeOwnerArchivePacing(t *testing.T) {
	srv, clock, r, live := idleOwners(t, 1500)
	if err := srv.ArchiveOwner(live); err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	start, n := clock.Now(), 0
	for n == 0 && clock.Now().Sub(start) < time.Hour {
		n += pollFor(t, clock, r, 5*time.Second)
	}
	took := clock.Now().Sub(start)
	if n != 1 {
		t.Fatalf("%d records of an owner that left, want 1", n)
	}
	// Two passes at most, of 15 pages and 16: 14 pages beyond the first
	// at 19 per 10 s take 7.4 s at least.
	lists := srv.Calls()["GET /crm/owners/2026-09"]
	t.Logf("the delete after %s, %d list requests", took, lists)
	if took < 7*time.Second || took > 40*time.Second {
		t.Fatalf("the delete came after %s: the pass did not follow its share", took)
	}
}
