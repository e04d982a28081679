package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// tokenPath is HubSpot's OAuth token endpoint of the 2026-03 OAuth API
// (PublicApiSpecs/Auth/Oauth/Rollouts/279897/2026-03/oauth.json in
// github.com/HubSpot/HubSpot-public-api-spec-collection), whatever version
// the client's other calls use: HubSpot deprecates the v1 endpoint on
// 16 February 2027 and names this one as its replacement
// (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide).
// It takes every parameter in a form-encoded body, none in the query, so
// that no secret reaches a URL or a log of one. The 2026-09 spec
// documents no success answer, so 2026-03 it stays until a later one does.
const tokenPath = "/oauth/2026-03/token"

const (
	// tokenTimeout bounds one token exchange, whatever the caller's context
	// allows: a request waits for its token, and a hung exchange would
	// hold every request of the client.
	tokenTimeout = 30 * time.Second
	// defaultTokenLifetime is what an answer without expires_in is taken
	// to mean: HubSpot's access tokens live 30 minutes ("Manage OAuth
	// access tokens with the 2026-03 API",
	// https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens).
	defaultTokenLifetime = 30 * time.Minute
	// maxRefreshMargin is the longest time before its expiry that an access
	// token is refreshed.
	maxRefreshMargin = 5 * time.Minute
)

// tokenSource gives each attempt of Do its bearer token.
type tokenSource interface {
	// token returns the bearer token to send.
	token(ctx context.Context) (string, error)
	// generation is the generation of the token token would return now.
	generation() uint64
	// renew drops the token of generation gen after HubSpot refused it
	// with a 401, so that the next token call gets a new one. It reports
	// whether a new token can come, which only OAuth gives.
	renew(gen uint64) bool
	// secrets are the values that must never appear in an error or a log.
	secrets() []string
}

// staticToken is a private app's access token: it never changes.
type staticToken string

func (t staticToken) token(context.Context) (string, error) { return string(t), nil }
func (staticToken) generation() uint64                      { return 0 }
func (staticToken) renew(uint64) bool                       { return false }
func (t staticToken) secrets() []string                     { return []string{string(t)} }

// WithOAuth signs the client in as an OAuth app instead of with a private
// app's token (pass NewClient an empty token): the refresh token is
// exchanged at HubSpot's token endpoint for access tokens, which the client
// renews before they expire and once more when HubSpot refuses one with a
// 401. The exchange goes to the base URL, past the rate limiter of API
// calls, and is bounded by a timeout of its own.
func WithOAuth(clientID, clientSecret, refreshToken string) Option {
	return func(c *Client) error {
		var missing []string
		for name, v := range map[string]string{"client id": clientID, "client secret": clientSecret, "refresh token": refreshToken} {
			if strings.TrimSpace(v) == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("OAuth: empty %s", strings.Join(missing, ", "))
		}
		c.oauth = &oauthSource{client: c, clientID: clientID, clientSecret: clientSecret,
			refreshToken: refreshToken, first: refreshToken, exchanging: make(chan struct{}, 1)}
		return nil
	}
}

// oauthSource holds an OAuth app's tokens. One exchange runs at a time:
// requests that find the access token due wait for that exchange instead of
// starting their own, so that many goroutines cost HubSpot one token call.
type oauthSource struct {
	client                 *Client // its base URL, HTTP client, clock and logger
	clientID, clientSecret string
	first                  string // the configured refresh token, redacted even once replaced

	// exchanging is held while an exchange runs; a channel rather than a
	// mutex, so that a waiting request still ends with its context.
	exchanging chan struct{}

	mu           sync.Mutex
	refreshToken string // the newest: HubSpot may answer with a new one
	access       string
	previous     string // the access token before, still redacted
	refreshAt    time.Time
	gen          uint64
	// refused is HubSpot's refusal of the refresh token, client id or
	// secret: it stays refused, so it is not asked again.
	refused error
}

// valid returns the access token if it is not due for a refresh.
func (o *oauthSource) valid() (string, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.refused != nil {
		return "", true, o.refused
	}
	if o.access != "" && o.client.clock.Now().Before(o.refreshAt) {
		return o.access, true, nil
	}
	return "", false, nil
}

func (o *oauthSource) token(ctx context.Context) (string, error) {
	if t, ok, err := o.valid(); ok {
		return t, err
	}
	select {
	case o.exchanging <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("hubspot: waiting for an OAuth access token: %w", ctx.Err())
	}
	defer func() { <-o.exchanging }()
	// Another request may have exchanged while this one waited.
	if t, ok, err := o.valid(); ok {
		return t, err
	}
	return o.exchange(ctx)
}

func (o *oauthSource) generation() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen
}

func (o *oauthSource) renew(gen uint64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.gen == gen {
		o.access = "" // requests refused with a token renewed already take the new one
	}
	return o.refused == nil
}

func (o *oauthSource) secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return []string{o.clientSecret, o.first, o.refreshToken, o.access, o.previous}
}

// tokenAnswer is the token endpoint's answer, the spec's
// AccessTokenResponse; its lifetime is expires_in, in seconds, as the
// migration guide asks.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// exchange trades the refresh token for an access token. Callers hold
// o.exchanging.
func (o *oauthSource) exchange(ctx context.Context) (string, error) {
	c := o.client
	ctx, cancel := context.WithTimeout(ctx, tokenTimeout)
	defer cancel()
	o.mu.Lock()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {o.clientID},
		"client_secret": {o.clientSecret}, "refresh_token": {o.refreshToken}}
	o.mu.Unlock()
	req := &Request{Method: http.MethodPost, Path: tokenPath}
	u, err := c.requestURL(req)
	if err != nil {
		return "", err
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", req.Method, req.Path, err)
	}
	httpReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	httpReq.Header.Set("Accept", "application/json")
	start := c.clock.Now()
	resp, err := c.httpClient.Do(httpReq)
	if err != nil {
		// The URL is the error's only detail from the request: the
		// secrets travel in the body.
		c.logger.DebugContext(ctx, "hubspot token exchange failed", "path", tokenPath, "duration", c.clock.Now().Sub(start), "error", err)
		return "", &transportError{method: req.Method, path: req.Path, err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	c.logger.DebugContext(ctx, "hubspot token exchange", "path", tokenPath, "status", resp.StatusCode, "duration", c.clock.Now().Sub(start))
	if err != nil {
		return "", &transportError{method: req.Method, path: req.Path, status: resp.StatusCode, err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := c.decodeError(req, resp, body)
		if IsSignInRefused(err) {
			o.mu.Lock()
			o.refused = err
			o.mu.Unlock()
		}
		return "", err
	}
	var a tokenAnswer
	if err := json.Unmarshal(body, &a); err != nil || a.AccessToken == "" {
		return "", &transportError{method: req.Method, path: req.Path, status: resp.StatusCode,
			err: errors.New("decode response: no access_token in the answer")} // never quote the body: it holds tokens
	}
	lifetime := time.Duration(a.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = defaultTokenLifetime
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if a.RefreshToken != "" {
		o.refreshToken = a.RefreshToken
	}
	o.previous, o.access = o.access, a.AccessToken
	// Refresh ahead of the expiry: a request takes its token before it
	// waits for the rate limiter and travels to HubSpot, whose clock may
	// run ahead of ours. A tenth of the lifetime, at most five minutes,
	// leaves three minutes of HubSpot's thirty.
	o.refreshAt = start.Add(lifetime - min(lifetime/10, maxRefreshMargin))
	o.gen++
	return o.access, nil
}

// redact removes the access token, and an OAuth app's secrets, from
// anything HubSpot echoed back: every text of the answer, whether Error
// prints it or a caller reads it.
func (c *Client) redact(e *ErrorResponse) {
	secrets := c.auth.secrets()
	clean := func(s *string) {
		for _, secret := range secrets {
			if secret != "" {
				*s = strings.ReplaceAll(*s, secret, "[REDACTED]")
			}
		}
	}
	for _, s := range []*string{&e.Status, &e.Message, &e.CorrelationID, &e.Category, &e.ErrorType, &e.PolicyName, &e.OAuthError, &e.OAuthErrorDescription} {
		clean(s)
	}
	if len(e.SubCategory) > 0 {
		sub := string(e.SubCategory)
		clean(&sub)
		e.SubCategory = json.RawMessage(sub)
	}
	for k, v := range e.Links {
		clean(&v)
		e.Links[k] = v
	}
	for _, vs := range e.Context {
		for i := range vs {
			clean(&vs[i])
		}
	}
	for i := range e.Errors {
		clean(&e.Errors[i].Message)
		for _, vs := range e.Errors[i].Context {
			for j := range vs {
				clean(&vs[j])
			}
		}
	}
}

// authorizedAttempt is one attempt of Do, sent again once with a new token
// when HubSpot refused an OAuth access token with a 401: it may have
// expired early or been revoked, which only HubSpot knows.
func (c *Client) authorizedAttempt(ctx context.Context, req *Request, out any, attempt int) error {
	gen := c.auth.generation()
	err := c.attempt(ctx, req, out, attempt)
	if StatusCode(err) != http.StatusUnauthorized || !c.auth.renew(gen) {
		return err
	}
	c.logger.DebugContext(ctx, "hubspot refused the access token; sending again with a new one", "method", req.Method, "path", req.Path)
	return c.attempt(ctx, req, out, attempt)
}
