package hubspot_test

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestServerTime: the client reads HubSpot's time from the Date header of
// its answers, to the second, and the simulator's clock skew puts that
// time, and the changes' stamps, behind the clock the client shares.
func TestServerTime(t *testing.T) {
	start := time.Date(2026, 5, 6, 7, 8, 9, 750_000_000, time.UTC)
	tests := []struct {
		name string
		skew time.Duration
	}{
		{name: "clocks agree"},
		{name: "HubSpot behind by 3.5 s", skew: 3500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			clock := hubspottest.NewManualClock(start)
			srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithClockSkew(tt.skew))
			c := simClient(t, srv, hubspot.WithClock(clock))
			_, known := c.ServerTime()
			is.True(!known) // no answer yet

			id, err := srv.Create("contacts", map[string]string{"firstname": "Ada"})
			is.NoErr(err)
			o, err := c.Objects.Get(context.Background(), "contacts", id, hubspot.GetOptions{})
			is.NoErr(err)
			hubTime := start.Add(-tt.skew)
			is.Equal(o.UpdatedAt, hubTime) // stamped by HubSpot's clock
			got, known := c.ServerTime()
			is.True(known)
			is.Equal(got, hubTime.Truncate(time.Second)) // the Date header's whole second
		})
	}
}
