package source_test

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestCDCStartsOnHubSpotsClock: a change HubSpot makes after the source
// started, and after the snapshot read its object, reaches CDC, whether it
// is stamped in the initial timestamp's millisecond (the snapshot read the
// object in that millisecond) or before it, by a HubSpot clock that runs
// behind the source's. The source's clock stays where it was at Open
// until the snapshot is read.
func TestCDCStartsOnHubSpotsClock(t *testing.T) { forEachSearchBody(t, cdcStartsOnHubSpotsClock) }

func cdcStartsOnHubSpotsClock(t *testing.T, sb searchBody) {
	tests := []struct {
		name     string
		skew     time.Duration // HubSpot's clock behind the source's
		settings map[string]string
		// before is how long after the snapshot the change comes, by the
		// clock both share before the skew.
		before time.Duration
	}{
		{name: "same millisecond"},
		{name: "same millisecond, list alone", settings: map[string]string{"snapshotSearch": "false"}},
		{name: "HubSpot's clock behind", skew: 3 * time.Second, before: time.Second},
		{name: "HubSpot's clock behind, no snapshot", skew: 3 * time.Second, before: time.Second, settings: map[string]string{"snapshot": "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := sb.env(t, hubspottest.WithClockSkew(tt.skew))
			id, err := e.srv.Create("contacts", map[string]string{"firstname": "Ada"})
			is.NoErr(err)
			// A second on: the Date header HubSpot's time is read from
			// has whole seconds, and the create is before the start.
			e.clock.Advance(2 * time.Second)
			src, err := tryOpen(e, tt.settings, nil)
			is.NoErr(err)
			t.Cleanup(func() { _ = src.Teardown(context.Background()) })
			if tt.settings["snapshot"] != "false" {
				snap := readCount(t, src, 1) // at the clock of Open
				is.Equal(snap[0].Operation, opencdc.OperationSnapshot)
			} else {
				// A poll that finds nothing: CDC runs before the change.
				is.Equal(len(e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)), 0)
			}
			e.clock.Advance(tt.before)
			is.NoErr(e.srv.Update("contacts", id, map[string]string{"firstname": "Grace"}))
			o, _ := e.srv.Object("contacts", id)
			t.Logf("changed at %s by HubSpot's clock; the source's reads %s", o.UpdatedAt.Format(time.StampMilli), e.clock.Now().Format(time.StampMilli))
			e.settle()
			recs := e.readQuiet(t, src, 200*time.Millisecond, 10*time.Second)
			is.Equal(len(recs), 1) // the change, once
			is.Equal(recordID(t, recs[0]), id)
			is.Equal(payload(t, recs[0])["firstname"], "Grace")
		})
	}
}
