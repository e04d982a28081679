package source_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// cmsTarget is a CMS resource as these tests drive it: the redirects and
// each of cmsCases.
type cmsTarget struct {
	name    string
	add     func(t *testing.T, e env, i int) string
	service func(*hubspot.Client) *hubspot.CMSObjectsService
	changed string // a text field an update rewrites
}

func cmsTargets() []cmsTarget {
	out := []cmsTarget{{hubspot.URLRedirectsResourceName, addRedirect,
		func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.URLRedirects }, "destination"}}
	for _, c := range cmsCases() {
		out = append(out, cmsTarget{c.name, c.add, c.service, c.changed})
	}
	return out
}

// TestCMSListScanAnyOrder: 20 objects, the first
// changed after the others were made, read in pages of 7 whether the list
// sorts as documented or ignores every sort (creation order): the
// snapshot holds each object once, the first at its changed version, and
// a change made after it comes. The objects are a minute apart, so that
// the look-back (30 s) does not make up for what the scan skipped. Moving the cursor to a page's newest time
// skipped the later pages' older changes where the sort was ignored.
func TestCMSListScanAnyOrder(t *testing.T) {
	for _, m := range cmsModes()[:2] {
		for _, c := range cmsTargets() {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				is := is.New(t)
				e := newEnv(t, m.opts...)
				api := c.service(apiClient(t, e))
				var ids []string
				for i := range 20 {
					e.clock.Advance(time.Minute) // apart by more than the look-back window
					ids = append(ids, c.add(t, e, i))
				}
				e.tick()
				in, _ := hubspot.CMSObjectOf(map[string]any{c.changed: "https://example.com/changed"})
				_, err := api.Update(context.Background(), ids[0], in)
				is.NoErr(err)
				e.tick()
				src := openSource(t, e, map[string]string{"resource": c.name, "bufferSize": "7"}, nil)
				recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
				is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 20})
				is.Equal(len(uniqueIDs(t, recs)), 20)
				for _, r := range recs {
					if recordID(t, r) == ids[0] {
						is.Equal(payload(t, r)[c.changed], "https://example.com/changed")
					}
				}
				e.tick()
				in, _ = hubspot.CMSObjectOf(map[string]any{c.changed: "https://example.com/again"})
				_, err = api.Update(context.Background(), ids[10], in)
				is.NoErr(err)
				e.tick()
				recs = e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
				is.Equal(len(recs), 1)
				is.Equal(recordID(t, recs[0]), ids[10])
			})
		}
	}
}

// TestCMSDeletesWithoutUpdatedMoving: where an archive
// leaves an object's updated time as it was, and where it moves it, a
// delete made after the snapshot comes once, also for URL redirects,
// which carry no deletion time; one made before the start does not.
func TestCMSDeletesWithoutUpdatedMoving(t *testing.T) {
	for _, moves := range []bool{false, true} {
		for _, c := range cmsTargets() {
			t.Run(fmt.Sprintf("moves=%v/%s", moves, c.name), func(t *testing.T) {
				is := is.New(t)
				var opts []hubspottest.Option
				if moves {
					opts = append(opts, hubspottest.WithArchiveMovesUpdated())
				}
				e := newEnv(t, opts...)
				api := c.service(apiClient(t, e))
				var ids []string
				for i := range 5 {
					e.tick()
					ids = append(ids, c.add(t, e, i))
				}
				is.NoErr(api.Delete(context.Background(), ids[0])) // before the start
				e.settle()
				src := openSource(t, e, map[string]string{"resource": c.name, "bufferSize": "7"}, nil)
				recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
				is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 4})
				e.settle()
				is.NoErr(api.Delete(context.Background(), ids[2]))
				e.settle()
				recs = e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
				is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationDelete: 1})
				is.Equal(recordID(t, recs[0]), ids[2])
			})
		}
	}
}
