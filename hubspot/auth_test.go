package hubspot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

const (
	testClientID     = "11111111-aaaa-bbbb-cccc-222222222222"
	testClientSecret = "client-secret-33333333-4444"
	testRefreshToken = "na1-refresh-5555-6666-7777-888888888888"
)

// oauthEnv is a simulator with one OAuth app and a client signed in as that
// app, on clocks a test moves.
type oauthEnv struct {
	srv    *hubspottest.Server
	client *hubspot.Client
	// serverClock is the simulator's; clientClock the client's, the same
	// clock unless the test asks for two.
	serverClock, clientClock *hubspottest.ManualClock
	// logs is the client's log: slog's handlers write one record at a
	// time, so many goroutines may log to it.
	logs *bytes.Buffer
}

func newOAuthEnv(t *testing.T, twoClocks bool, simOpts []hubspottest.Option, opts ...hubspot.Option) oauthEnv {
	t.Helper()
	e := oauthEnv{serverClock: hubspottest.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), logs: &bytes.Buffer{}}
	e.clientClock = e.serverClock
	if twoClocks {
		e.clientClock = hubspottest.NewManualClock(e.serverClock.Now())
	}
	srv, err := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithClock(e.serverClock), hubspottest.WithoutRateLimits(),
		hubspottest.WithOAuthApp(testClientID, testClientSecret, testRefreshToken)}, simOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e.srv = srv
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := []hubspot.Option{hubspot.WithBaseURL(srv.URL), hubspot.WithClock(e.clientClock), hubspot.WithoutRateLimit(),
		hubspot.WithLogger(logger), hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken)}
	e.client, err = hubspot.NewClient("", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.client.Close)
	return e
}

func (e oauthEnv) list(t *testing.T) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := e.client.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 1})
	return err
}

// tokenPath is the token endpoint of HubSpot's 2026-03 OAuth API, which
// the client calls whatever version its other calls use.
const tokenPath = "/oauth/2026-03/token"

func (e oauthEnv) tokenCalls() int { return e.srv.Calls()["POST "+tokenPath] }
func (e oauthEnv) listCalls() int  { return e.srv.Calls()["GET /crm/objects/2026-09/contacts"] }

// assertNoSecret fails the test if s holds any secret of the OAuth app or
// an access token the simulator issued.
func (e oauthEnv) assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	secrets := append([]string{testClientSecret, testRefreshToken}, e.srv.RefreshTokens(testClientID)...)
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Fatalf("%s holds the secret %q: %s", what, secret, s)
		}
	}
	if strings.Contains(s, "sim-oauth-") {
		t.Fatalf("%s holds an access token: %s", what, s)
	}
}

// TestOAuthRefreshesBeforeExpiry: the access token is exchanged once, used
// until shortly before its 30 minutes are up, then exchanged again before
// HubSpot would refuse it: no request gets a 401.
func TestOAuthRefreshesBeforeExpiry(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil)
	is.NoErr(e.list(t))
	is.Equal(e.tokenCalls(), 1)
	e.serverClock.Advance(26 * time.Minute)
	is.NoErr(e.list(t))
	is.Equal(e.tokenCalls(), 1) // still fresh
	e.serverClock.Advance(2 * time.Minute)
	is.NoErr(e.list(t))
	is.Equal(e.tokenCalls(), 2) // 28 of 30 minutes: renewed ahead
	is.Equal(e.listCalls(), 3)  // no request was refused and sent again
	e.assertNoSecret(t, "the log", e.logs.String())
}

// TestOAuthRenewsOnA401: when HubSpot refuses a token the client thinks
// valid (here its clock runs behind the simulator's), the request is sent
// again once with a new token.
func TestOAuthRenewsOnA401(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, true, nil)
	is.NoErr(e.list(t))
	e.serverClock.Advance(31 * time.Minute) // expired on HubSpot's clock only
	is.NoErr(e.list(t))
	is.Equal(e.tokenCalls(), 2)
	is.Equal(e.listCalls(), 3) // the refused one, and its second try
	is.NoErr(e.list(t))
	is.Equal(e.tokenCalls(), 2) // the new token is kept
	is.True(strings.Contains(e.logs.String(), "sending again with a new one"))
	e.assertNoSecret(t, "the log", e.logs.String())
}

// TestOAuthConcurrentRefresh: many goroutines that need a token at once
// cost HubSpot one exchange, at the start and again after the expiry.
// Run it with -race.
func TestOAuthConcurrentRefresh(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil)
	const goroutines, each = 50, 4
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, goroutines*each)
		for range goroutines {
			wg.Go(func() {
				for range each {
					errs <- e.list(t)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			is.NoErr(err)
		}
	}
	run()
	is.Equal(e.tokenCalls(), 1)
	e.serverClock.Advance(29 * time.Minute)
	run()
	is.Equal(e.tokenCalls(), 2)
	is.Equal(e.listCalls(), 2*goroutines*each)
	t.Logf("%d requests in %d goroutines, %d token calls", 2*goroutines*each, goroutines, e.tokenCalls())
}

// TestOAuthConcurrent401: goroutines that all hold the same refused token
// renew it once between them.
func TestOAuthConcurrent401(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, true, nil)
	is.NoErr(e.list(t))
	e.serverClock.Advance(31 * time.Minute)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { is.NoErr(e.list(t)) })
	}
	wg.Wait()
	is.Equal(e.tokenCalls(), 2)
}

// TestOAuthUsesTheNewestRefreshToken: when HubSpot answers with a new
// refresh token and retires the old one, the next exchange uses the new.
func TestOAuthUsesTheNewestRefreshToken(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, []hubspottest.Option{hubspottest.WithRefreshTokenRotation()})
	for range 3 {
		is.NoErr(e.list(t))
		e.serverClock.Advance(30 * time.Minute)
	}
	is.Equal(e.tokenCalls(), 3)
}

// TestOAuthRevokedRefreshToken: a refused refresh token ends the request
// with the token endpoint's invalid_grant (BAD_REFRESH_TOKEN in HubSpot's
// older code), not retried, and not asked
// again by later requests; no secret is in the error or the log.
func TestOAuthRevokedRefreshToken(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil, hubspot.WithBackoff(time.Millisecond, time.Millisecond))
	is.NoErr(e.list(t))
	e.srv.RevokeRefreshToken(testRefreshToken)
	e.serverClock.Advance(30 * time.Minute)
	err := e.list(t)
	is.True(hubspot.IsSignInRefused(err))
	is.True(strings.Contains(err.Error(), "POST /oauth/2026-03/token: 400 invalid_grant (BAD_REFRESH_TOKEN): missing or invalid refresh token (correlation id "))
	is.Equal(hubspot.RefusedCredential(err), hubspot.CredentialRefreshToken)
	e.assertNoSecret(t, "the error", err.Error())
	is.Equal(e.tokenCalls(), 2)
	err = e.list(t)
	is.True(hubspot.IsSignInRefused(err))
	is.Equal(e.tokenCalls(), 2) // a refused refresh token stays refused
	is.Equal(e.listCalls(), 1)  // nothing was sent without a token
	e.assertNoSecret(t, "the log", e.logs.String())
}

// TestOAuthSecretsRedacted: a token endpoint that echoes what it was sent
// (the secret, the refresh token) in every field of both error shapes
// leaves no trace of them in the error.
func TestOAuthSecretsRedacted(t *testing.T) {
	is := is.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := strings.ReplaceAll(string(body), `"`, ``)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"status":"BAD_REFRESH_TOKEN `+echo+`","message":"unknown: `+echo+`","error":"invalid_grant `+echo+`",`+
			`"error_description":"unknown: `+echo+`","category":"`+echo+`","subCategory":"`+echo+`","correlationId":"`+echo+`",`+
			`"context":{"sent":["`+echo+`"]},"links":{"sent":"`+echo+`"},"errors":[{"message":"`+echo+`","context":{"sent":["`+echo+`"]}}]}`)
	}))
	defer srv.Close()
	c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
	is.NoErr(err)
	_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{})
	is.True(hubspot.IsSignInRefused(err))
	is.True(strings.Contains(err.Error(), "[REDACTED]"))
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	// Every field, as a caller that logs the struct would see it.
	all := fmt.Sprintf("%s %+v %s", err, *er, er.SubCategory)
	is.True(strings.Contains(all, "[REDACTED]"))
	for _, secret := range []string{testClientSecret, testRefreshToken} {
		if strings.Contains(all, secret) {
			t.Fatalf("the error holds the secret %q: %s", secret, all)
		}
	}
}

// TestOAuthExchangeBypassesTheRateLimiter: the exchange does not wait for a
// slot of the API's limiter, which the request that needs the token holds:
// with a limit of one request, the first request still goes out at once.
func TestOAuthExchangeBypassesTheRateLimiter(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil, hubspot.WithRateLimit(hubspot.RateLimit{Requests: 1, Per: 10 * time.Second}))
	is.NoErr(e.list(t)) // a manual clock: a wait would end in the test's timeout
	is.Equal(len(e.clientClock.Waits()), 0)
}

// TestOAuthExchangeEndsWithTheContext: a token endpoint that does not
// answer holds a request no longer than its context.
func TestOAuthExchangeEndsWithTheContext(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil, hubspot.WithMaxRetries(0))
	e.srv.InjectFault(hubspottest.Fault{Path: tokenPath, Kind: hubspottest.FaultDelay, Delay: time.Minute, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := e.client.Objects.List(ctx, "contacts", hubspot.ListOptions{})
	is.True(errors.Is(err, context.DeadlineExceeded))
	is.True(time.Since(started) < 5*time.Second)
}

func TestNewClientSignIn(t *testing.T) {
	tests := []struct {
		name  string
		token string
		opts  []hubspot.Option
		ok    bool
	}{
		{"token", testToken, nil, true},
		{"OAuth", "", []hubspot.Option{hubspot.WithOAuth("id", "secret", "refresh")}, true},
		{"neither", "", nil, false},
		{"both", testToken, []hubspot.Option{hubspot.WithOAuth("id", "secret", "refresh")}, false},
		{"OAuth without a secret", "", []hubspot.Option{hubspot.WithOAuth("id", " ", "refresh")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, err := hubspot.NewClient(tt.token, tt.opts...)
			is.Equal(err == nil, tt.ok)
			if err != nil {
				is.True(!strings.Contains(err.Error(), testToken) && !strings.Contains(err.Error(), "secret\""))
			}
		})
	}
}

// TestOAuthPacesAtTheAppLimit: an OAuth client without WithRateLimit paces
// at an OAuth app's 110 requests per 10 s, which the simulator enforces per
// app, so that it meets no 429 where a private app's 190 would.
func TestOAuthPacesAtTheAppLimit(t *testing.T) {
	is := is.New(t)
	clock := hubspottest.NewAutoClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv, err := hubspottest.NewServer(hubspottest.WithClock(clock), hubspottest.WithOAuthApp(testClientID, testClientSecret, testRefreshToken))
	is.NoErr(err)
	t.Cleanup(srv.Close)
	c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock),
		hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
	is.NoErr(err)
	t.Cleanup(c.Close)
	for range 330 {
		_, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
		is.NoErr(err)
	}
	is.Equal(srv.RateLimited(), 0) // 429s
}

// TestOAuthTokenRequest: at every API version, the exchange is POST
// /oauth/2026-03/token with every parameter form-encoded in the body,
// nothing in the query and no bearer token, as HubSpot's migration guide
// from the v1 endpoint asks; the access token it answers with signs the API
// call, which goes to the version's own path.
func TestOAuthTokenRequest(t *testing.T) {
	for _, v := range hubspot.APIVersions() {
		t.Run(string(v), func(t *testing.T) {
			is := is.New(t)
			s := &script{replies: []reply{
				{status: 200, body: `{"access_token":"access-1","refresh_token":"` + testRefreshToken + `","expires_in":1800,"token_type":"bearer","token_use":"access_token","hub_id":62515}`},
				{status: 200, body: `{"results":[]}`},
			}}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(newFakeClock()), hubspot.WithAPIVersion(v),
				hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
			is.NoErr(err)
			t.Cleanup(c.Close)
			_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
			is.NoErr(err)
			seen := s.requests()
			is.Equal(len(seen), 2)
			tok := seen[0]
			is.Equal(tok.Method, http.MethodPost)
			is.Equal(tok.Path, "/oauth/2026-03/token")
			is.Equal(tok.RawQuery, "")
			is.Equal(tok.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
			is.Equal(tok.Header.Get("Authorization"), "")
			form, err := url.ParseQuery(tok.Body)
			is.NoErr(err)
			is.Equal(form, url.Values{"grant_type": {"refresh_token"}, "client_id": {testClientID},
				"client_secret": {testClientSecret}, "refresh_token": {testRefreshToken}})
			is.Equal(seen[1].Path, specPrefixes(v).Replace("{objects}/contacts"))
			is.Equal(seen[1].Header.Get("Authorization"), "Bearer access-1")
		})
	}
}

// TestOAuthErrorShapes: the token endpoint's errors decode whether they
// carry RFC 6749's error and error_description, HubSpot's older status and
// message, both (as HubSpot answers since its changelog "New OAuth v3 API
// endpoints and standardized error responses"), or only the spec's Error
// schema. A refusal (400, or 401 for invalid_client) says which setting it
// blames and is not asked again; other failures are.
func TestOAuthErrorShapes(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantRefused bool
		wantCred    hubspot.Credential
		wantText    string
	}{{
		name:   "both shapes",
		status: 400,
		body: `{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token","correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbf",` +
			`"category":"VALIDATION_ERROR","error":"invalid_grant","error_description":"missing or invalid refresh token"}`,
		wantRefused: true, wantCred: hubspot.CredentialRefreshToken,
		wantText: "hubspot: POST /oauth/2026-03/token: 400 invalid_grant (BAD_REFRESH_TOKEN): missing or invalid refresh token (correlation id aeb5f871-7f07-4993-9211-075dc63e7cbf)",
	}, {
		name:        "RFC 6749 only",
		status:      400,
		body:        `{"error":"invalid_grant","error_description":"refresh token revoked"}`,
		wantRefused: true, wantCred: hubspot.CredentialRefreshToken,
		wantText: "hubspot: POST /oauth/2026-03/token: 400 invalid_grant: refresh token revoked",
	}, {
		name:        "the older shape only",
		status:      400,
		body:        `{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token"}`,
		wantRefused: true, wantCred: hubspot.CredentialRefreshToken,
		wantText: "hubspot: POST /oauth/2026-03/token: 400 BAD_REFRESH_TOKEN: missing or invalid refresh token",
	}, {
		name:        "a bad client, as a 401",
		status:      401,
		body:        `{"error":"invalid_client","error_description":"client authentication failed"}`,
		wantRefused: true, wantCred: hubspot.CredentialClient,
		wantText: "hubspot: POST /oauth/2026-03/token: 401 invalid_client: client authentication failed",
	}, {
		name:        "the older code names the secret",
		status:      400,
		body:        `{"status":"BAD_CLIENT_SECRET","message":"missing or invalid client secret","error":"invalid_client","error_description":"client secret mismatch"}`,
		wantRefused: true, wantCred: hubspot.CredentialClientSecret,
		wantText: "hubspot: POST /oauth/2026-03/token: 400 invalid_client (BAD_CLIENT_SECRET): missing or invalid client secret; client secret mismatch",
	}, {
		name:   "the spec's Error schema only",
		status: 400,
		body: `{"category":"VALIDATION_ERROR","correlationId":"c0ffee00-0000-4000-8000-000000000000","message":"Invalid refresh token","subCategory":"INVALID_TOKEN",` +
			`"context":{"invalidToken":["expired"]},"links":{"knowledge-base":"https://developers.hubspot.com/docs/api/oauth"},` +
			`"errors":[{"message":"Invalid parameter value","code":"INVALID_PARAMETER","in":"body"}]}`,
		wantRefused: true, wantCred: hubspot.CredentialUnknown,
		wantText: "hubspot: POST /oauth/2026-03/token: 400 VALIDATION_ERROR: Invalid refresh token; Invalid parameter value (correlation id c0ffee00-0000-4000-8000-000000000000)",
	}, {
		name:     "an edge's page",
		status:   503,
		body:     `<html><body>Service Unavailable</body></html>`,
		wantText: "hubspot: POST /oauth/2026-03/token: 503 Service Unavailable: response body is not HubSpot JSON",
	}, {
		name:     "a rate limit",
		status:   429,
		body:     `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}`,
		wantText: "hubspot: POST /oauth/2026-03/token: 429 RATE_LIMIT: You have reached your secondly limit.",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var tokenCalls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != tokenPath {
					t.Errorf("an API call without a token: %s %s", r.Method, r.URL.Path)
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				tokenCalls.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(newFakeClock()), hubspot.WithMaxRetries(0),
				hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
			is.NoErr(err)
			t.Cleanup(c.Close)
			list := func() error {
				_, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
				return err
			}
			err = list()
			is.True(err != nil)
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("error %q, want it to hold %q", err, tt.wantText)
			}
			is.Equal(hubspot.IsSignInRefused(err), tt.wantRefused)
			is.Equal(hubspot.RefusedCredential(err), tt.wantCred)
			var er *hubspot.ErrorResponse
			is.True(errors.As(err, &er))
			is.Equal(er.StatusCode, tt.status)
			if strings.Contains(tt.body, `"links"`) {
				is.Equal(er.Links["knowledge-base"], "https://developers.hubspot.com/docs/api/oauth")
			}
			for _, secret := range []string{testClientSecret, testRefreshToken} {
				is.True(!strings.Contains(err.Error(), secret))
			}
			_ = list()
			want := int32(2) // asked again
			if tt.wantRefused {
				want = 1 // a refusal stands
			}
			is.Equal(tokenCalls.Load(), want)
		})
	}
}

// TestOAuthLifetimeFromExpiresIn: the access token is renewed a tenth of
// its lifetime (at most five minutes) before expires_in says it expires,
// and an answer without expires_in is taken to mean HubSpot's 30 minutes.
func TestOAuthLifetimeFromExpiresIn(t *testing.T) {
	tests := []struct {
		name      string
		expiresIn string // the field as sent, "" for none
		renewAt   time.Duration
	}{
		{"ten minutes", `,"expires_in":600`, 9 * time.Minute},
		{"two hours", `,"expires_in":7200`, 115 * time.Minute},
		{"absent", "", 27 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var tokenCalls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Path == tokenPath {
					n := tokenCalls.Add(1)
					_, _ = fmt.Fprintf(w, `{"access_token":"access-%d","refresh_token":"r","token_type":"bearer"%s}`, n, tt.expiresIn)
					return
				}
				_, _ = io.WriteString(w, `{"results":[]}`)
			}))
			t.Cleanup(srv.Close)
			clock := hubspottest.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clock), hubspot.WithoutRateLimit(),
				hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
			is.NoErr(err)
			t.Cleanup(c.Close)
			list := func() {
				_, err := c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{Limit: 1})
				is.NoErr(err)
			}
			list()
			is.Equal(tokenCalls.Load(), int32(1))
			clock.Advance(tt.renewAt - time.Second)
			list()
			is.Equal(tokenCalls.Load(), int32(1)) // still fresh
			clock.Advance(time.Second)
			list()
			is.Equal(tokenCalls.Load(), int32(2)) // due
		})
	}
}
