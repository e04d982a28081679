package hubspot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

func (e oauthEnv) tokenCalls() int { return e.srv.Calls()["POST /oauth/v1/token"] }
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
// with the token endpoint's BAD_REFRESH_TOKEN, not retried, and not asked
// again by later requests; no secret is in the error or the log.
func TestOAuthRevokedRefreshToken(t *testing.T) {
	is := is.New(t)
	e := newOAuthEnv(t, false, nil, hubspot.WithBackoff(time.Millisecond, time.Millisecond))
	is.NoErr(e.list(t))
	e.srv.RevokeRefreshToken(testRefreshToken)
	e.serverClock.Advance(30 * time.Minute)
	err := e.list(t)
	is.True(hubspot.IsSignInRefused(err))
	is.True(strings.Contains(err.Error(), "POST /oauth/v1/token: 400 BAD_REFRESH_TOKEN"))
	e.assertNoSecret(t, "the error", err.Error())
	is.Equal(e.tokenCalls(), 2)
	err = e.list(t)
	is.True(hubspot.IsSignInRefused(err))
	is.Equal(e.tokenCalls(), 2) // a refused refresh token stays refused
	is.Equal(e.listCalls(), 1)  // nothing was sent without a token
	e.assertNoSecret(t, "the log", e.logs.String())
}

// TestOAuthSecretsRedacted: a token endpoint that echoes what it was sent
// (the secret, the refresh token) leaves no trace of them in the error.
func TestOAuthSecretsRedacted(t *testing.T) {
	is := is.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"status":"BAD_REFRESH_TOKEN","message":"unknown: `+strings.ReplaceAll(string(body), `"`, ``)+`"}`)
	}))
	defer srv.Close()
	c, err := hubspot.NewClient("", hubspot.WithBaseURL(srv.URL), hubspot.WithOAuth(testClientID, testClientSecret, testRefreshToken))
	is.NoErr(err)
	_, err = c.Objects.List(context.Background(), "contacts", hubspot.ListOptions{})
	is.True(hubspot.IsSignInRefused(err))
	is.True(strings.Contains(err.Error(), "[REDACTED]"))
	for _, secret := range []string{testClientSecret, testRefreshToken} {
		is.True(!strings.Contains(err.Error(), secret))
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
	e.srv.InjectFault(hubspottest.Fault{Path: "/oauth/v1/token", Kind: hubspottest.FaultDelay, Delay: time.Minute, Times: 1})
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
