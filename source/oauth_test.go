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

const (
	appID      = "0f1e2d3c-app-id"
	appSecret  = "app-secret-9a8b7c6d5e4f"
	appRefresh = "na1-refresh-1a2b-3c4d-5e6f"
)

// oauthSettings sign the source in as the simulator's OAuth app.
func oauthSettings() map[string]string {
	return map[string]string{"accessToken": "", "clientId": appID, "clientSecret": appSecret, "refreshToken": appRefresh}
}

// assertNoOAuthSecret fails the test if s holds a secret of the app or an
// access token the simulator issued.
func assertNoOAuthSecret(t *testing.T, srv *hubspottest.Server, what, s string) {
	t.Helper()
	for _, secret := range append([]string{appSecret, appRefresh, "sim-oauth-"}, srv.RefreshTokens(appID)...) {
		if strings.Contains(s, secret) {
			t.Fatalf("%s holds the secret %q: %s", what, secret, s)
		}
	}
}

// TestSnapshotOutlivesTheAccessToken: the access token expires in the
// middle of a snapshot; the source goes on with a new one and loses no
// record. The client either renews ahead of the expiry (its clock is the
// simulator's) or is refused once with a 401 and renews then (its clock,
// the wall clock, is behind the simulator's).
func TestSnapshotOutlivesTheAccessToken(t *testing.T) {
	tests := []struct {
		name       string
		clientOpts func(e env) []hubspot.Option
		// wantReads counts the calls that read: the access check, the
		// properties at Open and once they are 10 minutes old, 5 pages,
		// and, after a 401, the first call after the expiry sent again;
		// up to maxReads when the page read ahead of Read was in flight
		// at the expiry and was refused too.
		wantReads, maxReads int
	}{
		{"renewed ahead", func(e env) []hubspot.Option { return []hubspot.Option{hubspot.WithClock(e.clock)} }, 8, 9},
		{"renewed on a 401", func(env) []hubspot.Option { return nil }, 9, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, hubspottest.WithOAuthApp(appID, appSecret, appRefresh))
			const n = 450
			_, err := e.srv.Seed("contacts", n, nil)
			is.NoErr(err)
			// The list alone, whose pages the calls count.
			settings := oauthSettings()
			settings["snapshotSearch"] = "false"
			src, err := tryOpen(e, settings, nil, tt.clientOpts(e)...)
			is.NoErr(err)
			t.Cleanup(func() { _ = src.Teardown(context.Background()) })
			e.tick()
			recs := readCount(t, src, 150)
			e.clock.Advance(31 * time.Minute) // the token is 31 minutes old: expired
			recs = append(recs, readCount(t, src, n-150)...)
			is.Equal(len(uniqueIDs(t, recs)), len(e.srv.Objects("contacts"))) // every object, once
			calls := e.srv.Calls()
			is.Equal(calls["POST /oauth/2026-03/token"], 2)
			reads := calls["GET /crm/objects/2026-09/contacts"] + calls["GET /crm/properties/2026-09/contacts"]
			is.True(reads >= tt.wantReads && reads <= tt.maxReads)
		})
	}
}

// TestRevokedRefreshToken: a refresh token revoked before Open fails Open,
// and one revoked while the source runs fails Read once the access token
// it had expires; both say which parameter HubSpot refused and why, and
// neither the errors nor the trace log hold a secret.
func TestRevokedRefreshToken(t *testing.T) {
	is := is.New(t)
	var logs syncbuf.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.TraceLevel).WithContext(context.Background())
	e := newEnv(t, hubspottest.WithOAuthApp(appID, appSecret, appRefresh), hubspottest.WithOAuthApp(appID, appSecret, "other-refresh"))
	_, err := e.srv.Seed("contacts", 30, nil)
	is.NoErr(err)
	want := `HubSpot refused the refresh token: it was revoked (the app uninstalled or its access removed), or it is not one of this app's (parameter "refreshToken")`

	src, err := tryOpen(e, oauthSettings(), nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	e.srv.RevokeRefreshToken(appRefresh)
	e.clock.Advance(31 * time.Minute)
	_, err = src.ReadN(ctx, 10)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), want))
	is.True(strings.Contains(err.Error(), "invalid_grant (BAD_REFRESH_TOKEN)"))
	assertNoOAuthSecret(t, e.srv, "the Read error", err.Error())

	_, err = tryOpen(e, oauthSettings(), nil)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), want))
	assertNoOAuthSecret(t, e.srv, "the Open error", err.Error())

	settings := oauthSettings()
	settings["refreshToken"] = "other-refresh" // a good one, for a run that logs
	src2, err := tryOpen(e, settings, nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src2.Teardown(context.Background()) })
	_, err = src2.ReadN(ctx, 30)
	is.NoErr(err)
	is.True(strings.Contains(logs.String(), "hubspot request"))
	is.True(strings.Contains(logs.String(), "hubspot token exchange")) // the refused one of the first Read
	assertNoOAuthSecret(t, e.srv, "the log", logs.String())
	if strings.Contains(logs.String(), "other-refresh") {
		t.Fatal("the log holds the refresh token")
	}
}

// TestOAuthRefusalsNameTheSetting: Open fails when HubSpot's token endpoint
// refuses the client id, the secret or the refresh token, with one error
// that names the parameter to fix, RFC 6749's code and HubSpot's, and no
// secret.
func TestOAuthRefusalsNameTheSetting(t *testing.T) {
	tests := []struct {
		name     string
		setting  string
		value    string
		want     string
		wantCode string
	}{
		{"client id", "clientId", "another-app", `HubSpot refused the client id (parameter "clientId")`, "invalid_client (BAD_CLIENT_ID)"},
		{"secret", "clientSecret", "a-wrong-secret-0000", `HubSpot refused the client secret (parameter "clientSecret")`, "invalid_client (BAD_CLIENT_SECRET)"},
		{"refresh token", "refreshToken", "na1-unknown-refresh", `HubSpot refused the refresh token: it was revoked`, "invalid_grant (BAD_REFRESH_TOKEN)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, hubspottest.WithOAuthApp(appID, appSecret, appRefresh))
			settings := oauthSettings()
			settings[tt.setting] = tt.value
			_, err := tryOpen(e, settings, nil)
			is.True(err != nil)
			for _, want := range []string{tt.want, tt.wantCode, "POST /oauth/2026-03/token: 400"} {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error %q, want it to hold %q", err, want)
				}
			}
			assertNoOAuthSecret(t, e.srv, "the Open error", err.Error())
			is.True(!strings.Contains(err.Error(), tt.value))
			is.Equal(e.srv.Calls()["POST /oauth/2026-03/token"], 1) // a refusal is not asked again
		})
	}
}
