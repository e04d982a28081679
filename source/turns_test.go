package source

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
)

// TestDeletesLeaveChangesTheirTurn: the deletes scan unpaced (a 100 %
// share, as the other tests and a user who asks for it have it) over an
// archive of three pages, each request taking 10 ms of the source's clock,
// so that every pass outlasts deletesPollingPeriod and the next is due as
// soon as it ends. The change scan has a backlog all the while; it must
// still read it. Before the reader gave it a turn after each page of the
// deletes scan, the passes followed one another and the change scan never
// read again: the chaos test's final read, which allows two minutes, ran
// out of time under -race and reported contacts never delivered.
func TestDeletesLeaveChangesTheirTurn(t *testing.T) {
	srv, clock := simulator(t)
	ids, err := srv.Seed("contacts", 250, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := srv.Archive("contacts", id); err != nil {
			t.Fatal(err)
		}
	}
	c := Config{
		PollingPeriod: 5 * time.Millisecond, BufferSize: 100, LookbackWindow: 30 * time.Second,
		Deletes: true, DeletesPollingPeriod: 5 * time.Millisecond, DeletesRateShare: 100,
	}
	c.Resource = "contacts"
	r := readerAt(t, clock, clientOf(t, srv, clock), c) // the archives are older than the start
	clock.Advance(time.Second)
	const backlog = 500
	for i := range backlog {
		if _, err := srv.Create("contacts", map[string]string{"email": "c" + strconv.Itoa(i) + "@example.com"}); err != nil {
			t.Fatal(err)
		}
		if i%50 == 49 {
			clock.Advance(time.Millisecond)
		}
	}
	clock.Advance(time.Second)

	creates, steps := 0, 0
	for ; steps < 200 && creates < backlog; steps++ {
		recs, _, err := r.step(context.Background())
		if err != nil {
			t.Fatalf("step %d: %v", steps, err)
		}
		for _, rec := range recs {
			if rec.Operation == opencdc.OperationCreate {
				creates++
			}
		}
		clock.Advance(10 * time.Millisecond) // the request took that long
	}
	calls := srv.Calls()
	t.Logf("%d creates in %d steps: %v", creates, steps, calls)
	if creates < backlog {
		t.Fatalf("%d of %d creates in %d steps: the deletes scan kept the change scan from its backlog (%v)", creates, backlog, steps, calls)
	}
}
