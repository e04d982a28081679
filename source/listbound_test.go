package source_test

import (
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestListMembershipsBound: a position remembers at most 10,000 members
// over all lists. A list whose members do not fit beside the others' is
// untracked, with a warning: its new members still come as creates, a
// member removed from it gets no delete (and a warning says so), while
// the tracked list's removals still come; no position passes the bound's
// size.
func TestListMembershipsBound(t *testing.T) {
	is := is.New(t)
	var logs syncbuf.Buffer
	e := newEnv(t).logTo(&logs)
	ids := seed(t, e.srv, "contacts", 11_002)
	tracked := e.srv.CreateList("Tracked", "0-1", hubspot.ListManual)
	is.Equal(len(e.srv.AddListMembers(tracked, ids[:6000]...)), 6000)
	big := e.srv.CreateList("Big", "0-1", hubspot.ListDynamic)
	is.Equal(len(e.srv.AddListMembers(big, ids[6000:11_000]...)), 5000)

	src := openSource(t, e, membershipSettings, nil)
	snap := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(snap), map[opencdc.Operation]int{opencdc.OperationSnapshot: 11_000})
	is.Equal(strings.Count(logs.String(), "this list's do not fit"), 1)
	longest := 0
	for _, r := range snap {
		longest = max(longest, len(r.Position))
	}
	t.Logf("longest position: %d bytes", longest)
	is.True(longest < 8*10_000) // under 8 bytes a member remembered

	e.clock.Advance(time.Minute)
	e.srv.RemoveListMembers(tracked, ids[5])
	e.srv.RemoveListMembers(big, ids[6005])
	e.srv.AddListMembers(big, ids[11_001])
	e.clock.Advance(time.Minute)
	cdc := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(cdc), map[opencdc.Operation]int{opencdc.OperationDelete: 1, opencdc.OperationCreate: 1})
	for _, r := range cdc {
		switch r.Operation {
		case opencdc.OperationDelete:
			is.Equal(memberKey(t, r), tracked+"/"+ids[5])
		default:
			is.Equal(memberKey(t, r), big+"/"+ids[11_001])
		}
	}
	is.True(strings.Contains(logs.String(), "a member removed from it gets no delete"))
}

// TestListMembershipsPacedLikeDeletes: the member pages of a pass after
// its first request take deletesRateShare of the budget, as the deletes
// scan's pages do: at 10 % of 190 requests per 10 s, one page each 526 ms.
func TestListMembershipsPacedLikeDeletes(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	l := e.srv.CreateList("L", "0-1", hubspot.ListManual)
	e.srv.AddListMembers(l, seed(t, e.srv, "contacts", 600)...) // 3 pages of 250
	settings := map[string]string{"resource": "list_memberships", "deletesRateShare": "10", "deletesPollingPeriod": "1m"}
	src := openSource(t, e, settings, nil)
	pages := func() int { return e.srv.Calls()["GET /crm/lists/2026-09/{list}/memberships"] }
	var recs []opencdc.Record
	for want := 1; want <= 3; want++ {
		recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
		is.Equal(pages(), want) // no page before its share of the budget allows
		e.clock.Advance(526 * time.Millisecond)
	}
	recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
	is.Equal(len(recs), 600)
}

// TestListMembershipsWithoutSnapshot: with the snapshot off, the first
// pass notes each list's members and emits nothing; a member added after
// is a create, one removed a delete.
func TestListMembershipsWithoutSnapshot(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	ids := seed(t, e.srv, "contacts", 4)
	l := e.srv.CreateList("L", "0-1", hubspot.ListManual)
	e.srv.AddListMembers(l, ids[:3]...)
	src := openSource(t, e, map[string]string{"resource": "list_memberships", "snapshot": "false"}, nil)
	is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 0)
	e.tick()
	e.srv.AddListMembers(l, ids[3])
	e.srv.RemoveListMembers(l, ids[0])
	e.tick()
	recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationCreate: 1, opencdc.OperationDelete: 1})
}
