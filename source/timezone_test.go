package source_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// TestDailyPauseEndsAtTheAccountsMidnight: with accountTimeZone unset, the
// source reads the account's time zone (New York) from the account
// details at Open. When HubSpot refuses a read for the spent daily quota,
// it pauses until midnight in New York, where HubSpot resets the quota,
// and reads on. Assuming UTC it would try again at 00:00 UTC, four hours
// early, be refused, and pause until the next midnight UTC.
func TestDailyPauseEndsAtTheAccountsMidnight(t *testing.T) {
	is := is.New(t)
	const daily = 1000
	clock := hubspottest.NewAutoClock(t0) // the client's pause takes no real time
	srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock),
		hubspottest.WithDailyLimit(daily), hubspottest.WithAccountTimeZone("America/New_York"))
	is.NoErr(err)
	t.Cleanup(srv.Close)
	seed(t, srv, "contacts", 3)

	var logs syncbuf.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.WarnLevel).WithContext(context.Background())
	// The list alone: the simulator refuses no search for the daily
	// limit, so a snapshot from both ends could read around the pause.
	settings := map[string]string{"snapshotSearch": "false"}
	src, err := tryOpenCtx(ctx, env{srv: srv, clock: clock}, settings, nil, hubspot.WithClock(clock))
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	srv.SpendDailyQuota(daily) // the account's other integrations spent the rest of the day's

	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	recs, err := src.ReadN(rctx, 3)
	is.NoErr(err)
	is.True(len(recs) > 0)
	reset := time.Date(2026, 5, 7, 4, 0, 0, 0, time.UTC) // the next midnight in New York (summer time)
	t.Logf("read at %s, after a pause for the daily limit", clock.Now().UTC())
	is.Equal(srv.RateLimited(), 1)                    // refused once, not again after the pause
	is.True(!clock.Now().Before(reset))               // not before HubSpot resets the quota
	is.True(clock.Now().Before(reset.Add(time.Hour))) // nor a day later
	is.True(strings.Contains(logs.String(), `"timeZone":"America/New_York"`))
	is.True(!strings.Contains(logs.String(), "accountTimeZone")) // no warning about the zone
}

// TestAccountTimeZoneWithoutScope: a token that may not read the account
// details opens the source all the same, with one warning that names
// accountTimeZone and the UTC it assumes, and reads.
func TestAccountTimeZoneWithoutScope(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithoutScopes("oauth"))
	seed(t, e.srv, "contacts", 2)
	var logs syncbuf.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.WarnLevel).WithContext(context.Background())
	src, err := tryOpenCtx(ctx, e, nil, nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	is.Equal(len(readCount(t, src, 2)), 2)

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	is.Equal(len(lines), 1) // one warning
	is.True(strings.Contains(lines[0], `\"accountTimeZone\"`))
	is.True(strings.Contains(lines[0], "midnight UTC"))
	is.True(strings.Contains(lines[0], "403 MISSING_SCOPES"))
	is.Equal(e.srv.Calls()["GET /account-info/2026-09/details"], 1)
}
