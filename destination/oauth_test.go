package destination_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestRevokedRefreshToken: the destination signs in as an OAuth app; a
// refresh token revoked while it runs fails Write once the access token
// expires, and a revoked one fails Open. Both errors name the parameter
// refreshToken, say it was refused, and hold no secret.
func TestRevokedRefreshToken(t *testing.T) {
	is := is.New(t)
	const id, secret, refresh = "app-id-1", "app-secret-2b3c", "na1-refresh-4d5e"
	clock := hubspottest.NewManualClock(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	srv := newSim(t, hubspottest.WithClock(clock), hubspottest.WithOAuthApp(id, secret, refresh))
	settings := map[string]string{"accessToken": "", "clientId": id, "clientSecret": secret, "refreshToken": refresh}
	d := openDestination(t, srv, settings)
	n, err := d.Write(context.Background(), creates(3, 0))
	is.NoErr(err)
	is.Equal(n, 3)
	is.Equal(srv.Calls()["POST /oauth/2026-03/token"], 1) // HubSpot's 2026-03 OAuth API, not the deprecated v1

	srv.RevokeRefreshToken(refresh)
	clock.Advance(31 * time.Minute) // the access token expired on HubSpot's clock
	n, err = d.Write(context.Background(), creates(3, 3))
	is.Equal(n, 0)
	is.True(err != nil)
	want := `HubSpot refused the refresh token: it was revoked (the app uninstalled or its access removed), or it is not one of this app's (parameter "refreshToken")`
	is.True(strings.Contains(err.Error(), want))
	is.True(strings.Contains(err.Error(), "invalid_grant (BAD_REFRESH_TOKEN)"))
	is.Equal(len(live(srv)), 3)

	d2, err := tryOpenDestination(srv, settings)
	if d2 != nil {
		t.Cleanup(func() { _ = d2.Teardown(context.Background()) })
	}
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), want))
	for _, s := range []string{secret, refresh, "sim-oauth-"} {
		is.True(!strings.Contains(err.Error(), s))
	}
}
