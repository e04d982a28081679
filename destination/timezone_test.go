package destination_test

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestDailyPauseEndsAtTheAccountsMidnight: with accountTimeZone unset, the
// destination reads the account's time zone (New York) from the account
// details at Open. When HubSpot refuses a write for the spent daily quota,
// it pauses until midnight in New York, where HubSpot resets the quota,
// and writes every record. Assuming UTC it would try again at 00:00 UTC,
// four hours early, be refused, and pause until the next midnight UTC.
func TestDailyPauseEndsAtTheAccountsMidnight(t *testing.T) {
	is := is.New(t)
	const daily = 1000
	clock := hubspottest.NewAutoClock(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)) // the client's pause takes no real time
	srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithDailyLimit(daily), hubspottest.WithAccountTimeZone("America/New_York"))
	d := openDestination(t, srv, nil, destination.WithClientOptions(hubspot.WithClock(clock)))
	srv.SpendDailyQuota(daily) // the account's other integrations spent the rest of the day's

	n, err := d.Write(context.Background(), creates(5, 0))
	is.NoErr(err)
	is.Equal(n, 5)
	is.Equal(len(live(srv)), 5)
	reset := time.Date(2026, 5, 7, 4, 0, 0, 0, time.UTC) // the next midnight in New York (summer time)
	t.Logf("written at %s, after a pause for the daily limit", clock.Now().UTC())
	is.True(!clock.Now().Before(reset))               // not before HubSpot resets the quota
	is.True(clock.Now().Before(reset.Add(time.Hour))) // nor a day later
	is.Equal(srv.RateLimited(), 1)                    // refused once, not again after the pause
}
