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
	status int
	// The success fields of the spec's AccessTokenResponse.
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	TokenUse     string `json:"token_use"`
	HubID        int64  `json:"hub_id"`
	// The error fields: the spec's Error schema, RFC 6749's and HubSpot's
	// older status.
	Status           string `json:"status"`
	Message          string `json:"message"`
	CorrelationID    string `json:"correlationId"`
	Category         string `json:"category"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// tokenPath is the token endpoint of HubSpot's 2026-03 OAuth API.
const tokenPath = "/oauth/2026-03/token"

// postToken posts body to path with the content type and decodes the
// answer.
func postToken(t *testing.T, srv *hubspottest.Server, path, contentType, body string) tokenAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
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

// exchange posts the form of a refresh token exchange, as HubSpot's
// migration guide describes it: every parameter form-encoded in the body.
func exchange(t *testing.T, srv *hubspottest.Server, form url.Values) tokenAnswer {
	t.Helper()
	return postToken(t, srv, tokenPath, "application/x-www-form-urlencoded", form.Encode())
}

func refreshForm(clientID, secret, refresh string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "client_secret": {secret}, "refresh_token": {refresh}}
}

func TestTokenExchange(t *testing.T) {
	srv := newServer(t, hubspottest.WithOAuthApp("app-1", "secret-1", "refresh-1"), hubspottest.WithPortalID(4242))
	form := "application/x-www-form-urlencoded"
	good := refreshForm("app-1", "secret-1", "refresh-1").Encode()
	tests := []struct {
		name                  string
		path, contentType     string
		body                  string
		wantStatus            int
		wantCode, wantRFCCode string
	}{
		{"good", tokenPath, form, good, 200, "", ""},
		{"good, with a charset", tokenPath, form + "; charset=UTF-8", good, 200, "", ""},
		{"unknown refresh token", tokenPath, form, refreshForm("app-1", "secret-1", "refresh-2").Encode(), 400, "BAD_REFRESH_TOKEN", "invalid_grant"},
		{"unknown client", tokenPath, form, refreshForm("app-2", "secret-1", "refresh-1").Encode(), 400, "BAD_CLIENT_ID", "invalid_client"},
		{"wrong secret", tokenPath, form, refreshForm("app-1", "secret-2", "refresh-1").Encode(), 400, "BAD_CLIENT_SECRET", "invalid_client"},
		{"other grant", tokenPath, form, url.Values{"grant_type": {"authorization_code"}, "client_id": {"app-1"}}.Encode(), 400, "BAD_GRANT_TYPE", "unsupported_grant_type"},
		{"secret in the query", tokenPath + "?client_secret=secret-1", form, url.Values{"grant_type": {"refresh_token"}, "client_id": {"app-1"}, "refresh_token": {"refresh-1"}}.Encode(), 400, "BAD_REQUEST", "invalid_request"},
		{"all in the query", tokenPath + "?" + good, form, "", 400, "BAD_REQUEST", "invalid_request"},
		{"a JSON body", tokenPath, "application/json", `{"grant_type":"refresh_token","client_id":"app-1","client_secret":"secret-1","refresh_token":"refresh-1"}`, 400, "BAD_REQUEST", "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			a := postToken(t, srv, tt.path, tt.contentType, tt.body)
			is.Equal(a.status, tt.wantStatus)
			is.Equal(a.Status, tt.wantCode)
			is.Equal(a.Error, tt.wantRFCCode)
			if tt.wantStatus == 200 {
				is.True(a.AccessToken != "")
				is.Equal(a.RefreshToken, "refresh-1") // no rotation by default
				is.Equal(a.ExpiresIn, 1800)
				is.Equal(a.TokenType, "bearer")
				is.Equal(a.TokenUse, "access_token")
				is.Equal(a.HubID, int64(4242))
				return
			}
			// The spec's required fields, and RFC 6749's beside them.
			is.True(a.Message != "")
			is.Equal(a.ErrorDescription, a.Message)
			is.True(a.Category != "")
			is.Equal(len(a.CorrelationID), 36)
		})
	}
	is := is.New(t)
	is.Equal(srv.Calls()["POST "+tokenPath], len(tests))
}

// TestV1TokenEndpointGone: the v1 token endpoint, which HubSpot deprecates
// on 16 February 2027, answers a good exchange as any unknown path does,
// and issues no token.
func TestV1TokenEndpointGone(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithOAuthApp("app", "secret", "refresh"))
	good := refreshForm("app", "secret", "refresh").Encode()
	v1 := postToken(t, srv, "/oauth/v1/token", "application/x-www-form-urlencoded", good)
	unknown := postToken(t, srv, "/oauth/v0/no-such-endpoint", "application/x-www-form-urlencoded", good)
	is.Equal(v1.status, unknown.status)
	is.Equal(v1.Category, unknown.Category)
	is.True(v1.status >= 400)
	is.Equal(v1.AccessToken, "")
	is.Equal(srv.Calls()["POST "+tokenPath], 0)
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
	is.Equal(srv.Calls()["POST "+tokenPath], 2)
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

// TestTokenEndpointOutlivesTheNumberedPaths: the 2026-03 token endpoint is
// a date version's, so it still exchanges once the numbered paths are
// retired, and its access token reads at a date version.
func TestTokenEndpointOutlivesTheNumberedPaths(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithOAuthApp("app", "secret", "refresh"), hubspottest.WithNumberedPathsRetired())
	a := exchange(t, srv, refreshForm("app", "secret", "refresh"))
	is.Equal(a.status, 200)
	is.Equal(callWithToken(t, srv, a.AccessToken, "GET", "/crm/objects/2026-09/contacts", "").status, 200)
	is.Equal(callWithToken(t, srv, a.AccessToken, "GET", "/crm/v3/objects/contacts", "").status, 410)
}
