package hubspottest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

type tokenAnswer struct {
	status       int
	Status       string `json:"status"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// exchange posts the form of a refresh token exchange, as HubSpot's docs
// describe it.
func exchange(t *testing.T, srv *hubspottest.Server, form url.Values) tokenAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/oauth/v1/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := tokenAnswer{status: resp.StatusCode}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("status %d: %q is not JSON: %v", resp.StatusCode, b, err)
	}
	return a
}

func refreshForm(clientID, secret, refresh string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "client_secret": {secret}, "refresh_token": {refresh}}
}

func TestTokenExchange(t *testing.T) {
	srv := newServer(t, hubspottest.WithOAuthApp("app-1", "secret-1", "refresh-1"))
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantCode   string
	}{
		{"good", refreshForm("app-1", "secret-1", "refresh-1"), 200, ""},
		{"unknown refresh token", refreshForm("app-1", "secret-1", "refresh-2"), 400, "BAD_REFRESH_TOKEN"},
		{"unknown client", refreshForm("app-2", "secret-1", "refresh-1"), 400, "BAD_CLIENT_ID"},
		{"wrong secret", refreshForm("app-1", "secret-2", "refresh-1"), 400, "BAD_CLIENT_SECRET"},
		{"other grant", url.Values{"grant_type": {"authorization_code"}, "client_id": {"app-1"}}, 400, "BAD_GRANT_TYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			a := exchange(t, srv, tt.form)
			is.Equal(a.status, tt.wantStatus)
			is.Equal(a.Status, tt.wantCode)
			if tt.wantStatus == 200 {
				is.True(a.AccessToken != "")
				is.Equal(a.RefreshToken, "refresh-1") // no rotation by default
				is.Equal(a.ExpiresIn, 1800)
				is.Equal(a.TokenType, "bearer")
			}
		})
	}
}

// TestAccessTokenExpires: an access token works until its lifetime has
// passed on the server's clock, then gets HubSpot's 401 for an expired
// token.
func TestAccessTokenExpires(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithOAuthApp("app", "secret", "refresh"),
		hubspottest.WithAccessTokenLifetime(time.Minute))
	a := exchange(t, srv, refreshForm("app", "secret", "refresh"))
	is.Equal(a.ExpiresIn, 60)
	is.Equal(callWithToken(t, srv, a.AccessToken, "GET", "/crm/v3/objects/contacts", "").status, 200)
	clock.Advance(59 * time.Second)
	is.Equal(callWithToken(t, srv, a.AccessToken, "GET", "/crm/v3/objects/contacts", "").status, 200)
	clock.Advance(3 * time.Second)
	r := callWithToken(t, srv, a.AccessToken, "GET", "/crm/v3/objects/contacts", "")
	is.Equal(r.status, 401)
	v := r.json(t)
	is.Equal(v["category"], "EXPIRED_AUTHENTICATION")
	is.Equal(v["message"], "The OAuth token used to make this call expired 2 second(s) ago.")
	// A new exchange gives a token that works.
	b := exchange(t, srv, refreshForm("app", "secret", "refresh"))
	is.True(b.AccessToken != a.AccessToken)
	is.Equal(callWithToken(t, srv, b.AccessToken, "GET", "/crm/v3/objects/contacts", "").status, 200)
	is.Equal(srv.Calls()["POST /oauth/v1/token"], 2)
}

// TestRevokedRefreshToken: a revoked refresh token is refused; the access
// tokens issued from it live on until they expire.
func TestRevokedRefreshToken(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithOAuthApp("app", "secret", "refresh"))
	a := exchange(t, srv, refreshForm("app", "secret", "refresh"))
	srv.RevokeRefreshToken("refresh")
	is.Equal(exchange(t, srv, refreshForm("app", "secret", "refresh")).Status, "BAD_REFRESH_TOKEN")
	is.Equal(callWithToken(t, srv, a.AccessToken, "GET", "/crm/v3/objects/contacts", "").status, 200)
}

func TestRefreshTokenRotation(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithOAuthApp("app", "secret", "refresh"), hubspottest.WithRefreshTokenRotation())
	a := exchange(t, srv, refreshForm("app", "secret", "refresh"))
	is.Equal(a.status, 200)
	is.True(a.RefreshToken != "refresh")
	is.Equal(srv.RefreshTokens("app"), []string{a.RefreshToken})
	is.Equal(exchange(t, srv, refreshForm("app", "secret", "refresh")).Status, "BAD_REFRESH_TOKEN") // the old one is retired
	is.Equal(exchange(t, srv, refreshForm("app", "secret", a.RefreshToken)).status, 200)
}

// TestLimitsPerApp: each app has its own 10-second window; the daily limit
// is the account's.
func TestLimitsPerApp(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewManualClock(start)
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithOAuthApp("app", "secret", "refresh"),
		hubspottest.WithRateLimit(2, 10*time.Second), hubspottest.WithOAuthRateLimit(3), hubspottest.WithDailyLimit(6))
	oauth := exchange(t, srv, refreshForm("app", "secret", "refresh")).AccessToken
	get := func(token string) response {
		return callWithToken(t, srv, token, "GET", "/crm/v3/objects/contacts", "")
	}
	for range 2 {
		is.Equal(get(srv.Token).status, 200)
	}
	is.Equal(get(srv.Token).status, 429) // the private app's window is full
	for i := range 3 {
		r := get(oauth)
		is.Equal(r.status, 200) // the OAuth app's is not
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Max"), "3")
		is.Equal(r.header.Get("X-HubSpot-RateLimit-Remaining"), string(rune('2'-i)))
	}
	r := get(oauth)
	is.Equal(r.status, 429)
	is.Equal(r.json(t)["policyName"], "TEN_SECONDLY_ROLLING")
	clock.Advance(10 * time.Second)
	is.Equal(get(oauth).status, 200) // the sixth request of the day, shared
	r = get(srv.Token)
	is.Equal(r.status, 429)
	is.Equal(r.json(t)["policyName"], "DAILY")
}
