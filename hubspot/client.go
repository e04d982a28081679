// Package hubspot is a client for HubSpot's CRM and CMS REST APIs, at the
// date version or the numbered paths VersionTable gives.
//
// One Client.Do path owns authentication, pacing under HubSpot's rate limits,
// retries with backoff and the decoding of errors into *ErrorResponse. The
// services (Objects, Properties, Owners) build requests and decode results.
// The package knows HTTP and HubSpot, and nothing of Conduit.
package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// DefaultBaseURL is HubSpot's API host, for accounts in every region.
const DefaultBaseURL = "https://api.hubapi.com"

const (
	defaultMaxRetries = 4
	defaultMinBackoff = 500 * time.Millisecond
	defaultMaxBackoff = 30 * time.Second
	defaultTimeout    = 60 * time.Second
	// defaultRateWindow is HubSpot's burst window: a 429 that names no wait
	// is waited out over a whole window, since a rolling window frees no
	// slot sooner than its oldest request ages out (docs/hubspot.md,
	// "Rate limits" and "Guesses"). The
	// X-HubSpot-RateLimit-Interval-Milliseconds header, when HubSpot sent
	// one, says the window's length instead.
	defaultRateWindow = 10 * time.Second
	// searchRateWindow is the window of search's own limit (per second);
	// search answers carry no rate-limit headers.
	searchRateWindow = time.Second
	// lockedWait is how long a 423 Locked is waited out: HubSpot's locks
	// last 2 seconds, and it asks for a delay of at least that
	// (https://developers.hubspot.com/docs/api-reference/error-handling).
	lockedWait = 2 * time.Second
	// maxURLLength is the longest URL the client sends. HubSpot answers 414
	// to URLs longer than about 15,000 characters (docs/hubspot.md,
	// "Errors"; 414 in
	// https://developers.hubspot.com/docs/api-reference/error-handling); the
	// exact limit is not published, so the client keeps a third below it.
	maxURLLength = 10000
	// maxResponseBytes bounds what the client reads of one response.
	maxResponseBytes = 64 << 20
	// maxErrorSnippet bounds how much of a non-JSON error body goes into an
	// error message.
	maxErrorSnippet = 120
)

// Client talks to HubSpot's API with one private-app access token, or as
// an OAuth app (WithOAuth).
type Client struct {
	baseURL *url.URL
	// version is the API version the client speaks, and prefixes its
	// column of VersionTable: every path the client builds starts there.
	version  APIVersion
	prefixes apiPrefixes
	// auth gives each attempt its bearer token; oauth is the OAuth app's
	// source that WithOAuth set, nil for a private app.
	auth       tokenSource
	oauth      *oauthSource
	httpClient *http.Client
	clock      Clock
	logger     *slog.Logger
	maxRetries int
	minBackoff time.Duration
	maxBackoff time.Duration
	// rateWindow is the length of HubSpot's burst window as the last answer
	// that named one said (X-HubSpot-RateLimit-Interval-Milliseconds), in
	// nanoseconds; 0 until one did.
	rateWindow atomic.Int64
	// serverDate is the Date header of the last answer that had one, in
	// Unix seconds (0: none yet): HubSpot's clock, which stamps its
	// changes, as against the client's.
	serverDate atomic.Int64

	rateLimit       *RateLimit // nil: no client-side pacing
	searchRateLimit *RateLimit
	share           float64 // of every limit, that this client may use
	general         *windowLimiter
	search          *windowLimiter

	// pauseOnDaily makes a DAILY 429 wait for the quota's reset instead of
	// ending the call; timeZone is the account's, whose midnight resets it
	// (SetAccountTimeZone may change it after NewClient).
	pauseOnDaily bool
	timeZone     atomic.Pointer[time.Location]

	sent     atomic.Int64 // requests sent, searches included
	budgetMu sync.Mutex
	budget   budgetSeen

	// bodies are buffers answers are read into, reused from call to
	// call: a wide page is megabytes, and reading each into a new slice
	// cost the plugin 8 % of its CPU (growing and clearing the slice).
	// Nothing decoded keeps a part of the buffer: strings are copies. A
	// channel rather than a sync.Pool, which a garbage collection empties.
	bodies chan *bytes.Buffer

	Objects    *ObjectsService
	Properties *PropertiesService
	Owners     *OwnersService
	// Schemas lists the account's custom object types.
	Schemas *SchemasService
	// URLRedirects, BlogTags, BlogPosts, BlogAuthors, LandingPages and
	// SitePages call the CMS APIs of those resources (cmsobjects.go).
	URLRedirects, BlogTags, BlogPosts, BlogAuthors, LandingPages, SitePages *CMSObjectsService
	// Associations calls the associations API (v4 among the numbered paths).
	Associations *AssociationsService
	// Account reads the account's details, such as its time zone.
	Account *AccountService
	// Pipelines reads and writes pipelines and their stages.
	Pipelines *PipelinesService
	// Lists reads list definitions and their members.
	Lists *ListsService
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL points the client at another host, such as a simulator on
// 127.0.0.1. Plain http is only accepted for loopback hosts.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := ParseBaseURL(raw)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithAPIVersion sets the version of HubSpot's API the client calls
// (default DefaultAPIVersion): every path comes from its column of
// VersionTable.
func WithAPIVersion(v APIVersion) Option {
	return func(c *Client) error {
		if _, err := ParseAPIVersion(string(v)); err != nil {
			return err
		}
		c.version = v
		return nil
	}
}

// WithHTTPClient replaces the default HTTP client (60 s timeout).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("http client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed request is tried again
// (default 4).
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return fmt.Errorf("max retries %d: must not be negative", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithBackoff sets the first and the longest wait between retries (default
// 500 ms and 30 s). The longest wait bounds every wait: the exponential
// backoff, the wait out of HubSpot's 10-second window after a 429, the 2 s
// after a 423, and a Retry-After HubSpot asks for.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(c *Client) error {
		if minWait <= 0 || maxWait < minWait {
			return fmt.Errorf("backoff %s to %s: want 0 < min <= max", minWait, maxWait)
		}
		c.minBackoff, c.maxBackoff = minWait, maxWait
		return nil
	}
}

// WithRateLimit sets where the pace of every request but search starts
// (default 190 per 10 s). From the first answer with HubSpot's rate-limit
// headers on, the limit and the window they name replace it, and the client
// also paces by what they say is left of the window, which every client of
// the same app shares.
func WithRateLimit(r RateLimit) Option {
	return func(c *Client) error {
		if err := r.validate(); err != nil {
			return err
		}
		c.rateLimit = &r
		return nil
	}
}

// WithSearchRateLimit sets the highest pace of search requests (default 5
// per s, DefaultSearchRateLimit). The client slows its searches down from
// there when HubSpot refuses one for the search limit, which other
// pipelines and integrations share, and climbs back slowly.
func WithSearchRateLimit(r RateLimit) Option {
	return func(c *Client) error {
		if err := r.validate(); err != nil {
			return err
		}
		c.searchRateLimit = &r
		return nil
	}
}

// WithRateLimitShare makes the client use at most share (above 0, up to 1)
// of each rate limit: of the burst limit HubSpot's headers name, and of the
// search limit. The rest is left to the account's other integrations.
func WithRateLimitShare(share float64) Option {
	return func(c *Client) error {
		if !(share > 0 && share <= 1) {
			return fmt.Errorf("rate limit share %v: want more than 0, up to 1", share)
		}
		c.share = share
		return nil
	}
}

// WithDailyLimitPause makes a call that HubSpot refuses for the account's
// spent daily quota (a DAILY 429) wait until the quota resets and then try
// once more, instead of returning the error. It logs a warning every
// dailyPauseLogEvery while it waits. The reset is midnight in the account's
// time zone (WithAccountTimeZone).
func WithDailyLimitPause() Option {
	return func(c *Client) error {
		c.pauseOnDaily = true
		return nil
	}
}

// WithAccountTimeZone sets the account's time zone (default UTC), whose
// midnight resets the daily quota. HubSpot's headers do not say when the
// quota resets, so the client assumes that midnight.
func WithAccountTimeZone(loc *time.Location) Option {
	return func(c *Client) error {
		return c.SetAccountTimeZone(loc)
	}
}

// SetAccountTimeZone is WithAccountTimeZone for a client that exists
// already: one that read the zone from the account's details
// (Account.Details), which it needs a client for.
func (c *Client) SetAccountTimeZone(loc *time.Location) error {
	if loc == nil {
		return errors.New("account time zone is nil")
	}
	c.timeZone.Store(loc)
	return nil
}

// AccountTimeZone is the time zone whose midnight the client takes the
// daily quota to reset at.
func (c *Client) AccountTimeZone() *time.Location { return c.timeZone.Load() }

// WithoutRateLimit turns client-side pacing off; HubSpot's 429s are still
// retried.
func WithoutRateLimit() Option {
	return func(c *Client) error {
		c.rateLimit, c.searchRateLimit = nil, nil
		return nil
	}
}

// WithClock replaces the wall clock of the rate limiter and the backoff.
func WithClock(clock Clock) Option {
	return func(c *Client) error {
		c.clock = clock
		return nil
	}
}

// WithLogger logs every attempt at debug level: method, path, status,
// duration. Headers and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// NewClient returns a client that authenticates with a private-app access
// token, or, with an empty token and WithOAuth, as an OAuth app.
func NewClient(token string, opts ...Option) (*Client, error) {
	general, search := DefaultRateLimit(), DefaultSearchRateLimit()
	c := &Client{
		httpClient:      newHTTPClient(),
		clock:           realClock{},
		logger:          slog.New(slog.DiscardHandler),
		maxRetries:      defaultMaxRetries,
		minBackoff:      defaultMinBackoff,
		maxBackoff:      defaultMaxBackoff,
		rateLimit:       &general,
		searchRateLimit: &search,
		share:           1,
		version:         DefaultAPIVersion,
		bodies:          make(chan *bytes.Buffer, pooledBodies),
	}
	c.timeZone.Store(time.UTC)
	c.baseURL, _ = url.Parse(DefaultBaseURL)
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("hubspot: %w", err)
		}
	}
	switch {
	case c.oauth != nil && token != "":
		return nil, errors.New("hubspot: an access token and OAuth: want one way of signing in")
	case c.oauth != nil:
		c.auth = c.oauth
		if c.rateLimit == &general {
			// No WithRateLimit: an OAuth app's own 10-second limit is
			// lower than a private app's (docs/hubspot.md, "Rate limits").
			oauth := DefaultOAuthRateLimit()
			c.rateLimit = &oauth
		}
	case strings.TrimSpace(token) == "":
		return nil, errors.New("hubspot: access token is empty")
	default:
		c.auth = staticToken(token)
	}
	if c.rateLimit != nil {
		c.general = newWindowLimiter(c.clock, *c.rateLimit, c.share, true)
	}
	if c.searchRateLimit != nil {
		// Search answers carry no rate-limit headers: its limit stays the
		// configured one, and its pace follows HubSpot's 429s.
		c.search = newPacedLimiter(c.clock, *c.searchRateLimit, c.share)
	}
	c.prefixes = prefixesOf(c.version)
	c.Objects = &ObjectsService{client: c}
	c.Properties = &PropertiesService{client: c}
	c.Owners = &OwnersService{client: c}
	c.Schemas = &SchemasService{client: c}
	c.Associations = &AssociationsService{client: c}
	c.Account = &AccountService{client: c}
	c.Pipelines = &PipelinesService{client: c}
	c.Lists = &ListsService{client: c}
	c.URLRedirects = c.CMSObjects(*urlRedirectSpec())
	c.BlogTags = c.CMSObjects(*blogTagSpec())
	c.BlogPosts = c.CMSObjects(*blogPostSpec())
	c.BlogAuthors = c.CMSObjects(*blogAuthorSpec())
	c.LandingPages = c.CMSObjects(*pageSpec("landing page", "landing-pages"))
	c.SitePages = c.CMSObjects(*pageSpec("site page", "site-pages"))
	return c, nil
}

// path builds the path of an API at the client's version: the API's prefix
// and parts, each escaped as one segment.
func (c *Client) path(api API, parts ...string) string {
	var b strings.Builder
	b.WriteString(c.prefixes[api])
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// newHTTPClient has its own connection pool, so that Close releases the
// client's connections without touching anyone else's.
func newHTTPClient() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Transport: transport, Timeout: defaultTimeout}
}

// Close releases the client's idle connections (and their goroutines).
// Requests still in flight finish on their own.
func (c *Client) Close() {
	c.httpClient.CloseIdleConnections()
}

// ParseBaseURL checks a base URL: https anywhere, plain http only on a
// loopback host, so that the token never crosses a network in clear text.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", raw, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %q: want an absolute URL such as %s", raw, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL %q: plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https", raw)
		}
	default:
		return nil, fmt.Errorf("base URL %q: scheme must be https (or http for a loopback host)", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: must not carry user info, a query or a fragment", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Request is one API call, built by NewRequest and sent by Do.
type Request struct {
	Method string
	// Path is relative to the base URL, with its segments escaped. It starts
	// with "/", as HubSpot's documentation writes it, so that errors and logs
	// show the path a reader can look up.
	Path  string
	Query url.Values
	body  []byte

	// Search requests are paced by the search rate limit.
	Search bool
	// Create marks a request that is not safe to send twice: HubSpot has no
	// idempotency key, so a create that may have reached it is never retried.
	Create bool
	// Columns, for a read of objects, are those its objects hold their
	// values by (Object.Values).
	Columns *Columns
}

// NewRequest builds a request; body, if not nil, is sent as JSON.
func NewRequest(method, path string, query url.Values, body any) (*Request, error) {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	r := &Request{Method: method, Path: path, Query: query}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s body: %w", method, path, err)
		}
		r.body = b
	}
	return r, nil
}

// Do sends the request and decodes a 2xx JSON body into out (if not nil).
// Any other answer is an *ErrorResponse. 429s, 5xx and network errors are
// retried with backoff up to the client's retry count, except for a create
// that may have reached HubSpot; other 4xx are never retried. A DAILY 429 is
// never retried: it ends the call, or, with WithDailyLimitPause, waits for
// the quota's reset and then sends the request again.
func (c *Client) Do(ctx context.Context, req *Request, out any) error {
	for attempt := 0; ; attempt++ {
		err := c.authorizedAttempt(ctx, req, out, attempt)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", req.Method, req.Path, ctx.Err())
		}
		if c.pauseOnDaily && IsDailyLimit(err) {
			// Not a retry: the request goes again once the quota is back,
			// with the retries of a new call.
			if err := c.pauseForDailyLimit(ctx, req, err); err != nil {
				return err
			}
			attempt = -1
			continue
		}
		wait, retry := c.retryAfter(req, err, attempt)
		if !retry {
			return err
		}
		wait = min(wait, c.maxBackoff) // every wait, a Retry-After too
		if attempt >= c.maxRetries {
			return fmt.Errorf("%w (gave up after %d attempts)", err, attempt+1)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s %s: waiting to retry: %w", req.Method, req.Path, ctx.Err())
		case <-c.clock.After(wait):
		}
	}
}

func (c *Client) attempt(ctx context.Context, req *Request, out any, attempt int) error {
	limiter := c.general
	if req.Search {
		limiter = c.search
	}
	var u *use
	if limiter != nil {
		var err error
		if u, err = limiter.Wait(ctx); err != nil {
			return fmt.Errorf("%s %s: %w", req.Method, req.Path, err)
		}
		defer limiter.Done(u)
	}

	httpReq, err := c.httpRequest(ctx, req)
	if err != nil {
		return err
	}
	start := c.clock.Now()
	c.sent.Add(1)
	resp, err := c.httpClient.Do(httpReq)
	if err != nil {
		c.logger.DebugContext(ctx, "hubspot request failed", "method", req.Method, "path", req.Path,
			"attempt", attempt+1, "duration", c.clock.Now().Sub(start), "error", err)
		return &transportError{method: req.Method, path: req.Path, err: err}
	}
	defer resp.Body.Close()
	buf := c.getBody()
	defer c.putBody(buf)
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes))
	body := buf.Bytes()
	c.logger.DebugContext(ctx, "hubspot request", "method", req.Method, "path", req.Path,
		"attempt", attempt+1, "status", resp.StatusCode, "duration", c.clock.Now().Sub(start),
		"rateLimitRemaining", resp.Header.Get("X-HubSpot-RateLimit-Remaining"))
	c.observe(resp.Header, limiter)
	if err != nil {
		return &transportError{method: req.Method, path: req.Path, status: resp.StatusCode, err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := c.decodeError(req, resp, bytes.Clone(body))
		if req.Search && limiter != nil {
			c.slowSearch(ctx, req, err)
		}
		return err
	}
	if out == nil || resp.StatusCode == http.StatusNoContent || len(body) == 0 {
		return nil
	}
	if err := decodeBody(body, out, req.Columns); err != nil {
		return &transportError{method: req.Method, path: req.Path, status: resp.StatusCode, err: fmt.Errorf("decode response: %w", err)}
	}
	return nil
}

// pooledBodies is how many answer buffers a client keeps: one for each
// call a source has in flight at once (a list page and a search page,
// each with a retry) is enough. maxPooledBody is the largest buffer kept:
// a page of 200 objects of every property is a few MiB.
const (
	pooledBodies  = 4
	maxPooledBody = 16 << 20
)

func (c *Client) getBody() *bytes.Buffer {
	select {
	case buf := <-c.bodies:
		buf.Reset()
		return buf
	default:
		return new(bytes.Buffer)
	}
}

func (c *Client) putBody(buf *bytes.Buffer) {
	if buf.Cap() > maxPooledBody {
		return
	}
	select {
	case c.bodies <- buf:
	default:
	}
}

// requestURL is the URL a request is sent to.
func (c *Client) requestURL(req *Request) (*url.URL, error) {
	// The path's segments are escaped already; joining the strings keeps that
	// escaping, which url.JoinPath would undo.
	u, err := url.Parse(strings.TrimSuffix(c.baseURL.String(), "/") + "/" + strings.TrimPrefix(req.Path, "/"))
	if err != nil {
		return nil, fmt.Errorf("%s %s: build URL: %w", req.Method, req.Path, err)
	}
	u.RawQuery = req.Query.Encode()
	return u, nil
}

// urlFits reports whether the request's URL is short enough for HubSpot.
func (c *Client) urlFits(req *Request) bool {
	u, err := c.requestURL(req)
	return err != nil || len(u.String()) <= maxURLLength // a bad URL fails when sent, with its error
}

func (c *Client) httpRequest(ctx context.Context, req *Request) (*http.Request, error) {
	u, err := c.requestURL(req)
	if err != nil {
		return nil, err
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.Path, err)
	}
	token, err := c.auth.token(ctx)
	if err != nil {
		return nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+token)
	httpReq.Header.Set("Accept", "application/json")
	if req.body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	return httpReq, nil
}

// decodeError turns a non-2xx answer into an *ErrorResponse.
func (c *Client) decodeError(req *Request, resp *http.Response, body []byte) error {
	e := &ErrorResponse{StatusCode: resp.StatusCode, Method: req.Method, Path: req.Path}
	if err := json.Unmarshal(body, e); err != nil || !json.Valid(body) {
		e.Message = describeNonJSON(resp.Header.Get("Content-Type"), body)
	} else {
		e.decodeOptional(body)
	}
	e.RetryAfter = c.parseRetryAfter(resp.Header.Get("Retry-After"))
	if n, err := strconv.Atoi(resp.Header.Get("X-HubSpot-RateLimit-Daily")); err == nil && n > 0 {
		e.DailyLimit = n
	}
	c.redact(e)
	return e
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func (c *Client) parseRetryAfter(s string) time.Duration {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	if secs, err := strconv.Atoi(s); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(0, t.Sub(c.clock.Now()))
	}
	return 0
}

// observe learns from an answer's rate-limit headers: the burst window and
// limit for the pacing (of the request's limiter), and the
// daily quota for Budget.
func (c *Client) observe(h http.Header, limiter *windowLimiter) {
	if t, err := http.ParseTime(h.Get("Date")); err == nil && t.Unix() > 0 {
		c.serverDate.Store(t.Unix())
	}
	if rh, ok := parseRateHeaders(h); ok {
		c.rateWindow.Store(int64(rh.window))
		if limiter == c.general && limiter != nil {
			limiter.Observe(rh)
		}
		c.budgetMu.Lock()
		c.budget.burst, c.budget.burstAt = rh, c.clock.Now()
		c.budgetMu.Unlock()
	}
	daily, errD := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Daily"))
	rem, errR := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Daily-Remaining"))
	if errD == nil && errR == nil && daily > 0 && rem >= 0 {
		c.budgetMu.Lock()
		c.budget.daily, c.budget.dailyRemaining = daily, min(rem, daily)
		c.budget.dailyAt, c.budget.sentAt = c.clock.Now(), c.sent.Load()
		c.budgetMu.Unlock()
	}
}

// ServerTime is HubSpot's time as the Date header of the last answer told
// it, to the second (HTTP dates have no finer part), and whether an answer
// has told it yet. HubSpot's clock stamps its changes: where it runs behind
// the client's, a start taken from the client's clock would pass changes by.
func (c *Client) ServerTime() (time.Time, bool) {
	s := c.serverDate.Load()
	if s == 0 {
		return time.Time{}, false
	}
	return time.Unix(s, 0).UTC(), true
}

func describeNonJSON(contentType string, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty response body"
	}
	text := strings.Join(strings.Fields(stripTags(string(body))), " ")
	if len(text) > maxErrorSnippet {
		text = text[:maxErrorSnippet] + "..."
	}
	if contentType == "" {
		contentType = "unknown content type"
	}
	return fmt.Sprintf("response body is not HubSpot JSON (%s): %q", contentType, text)
}

// stripTags drops HTML tags so that an edge's error page reads as its text.
func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// retryAfter decides whether a failed attempt is tried again, and after how
// long. No wait is longer than the client's longest backoff (30 s by
// default), a Retry-After included: the retry count then bounds the time a
// call can take, and an answer that asks for hours ends the call with its
// error instead of a pipeline that silently sleeps.
func (c *Client) retryAfter(req *Request, err error, attempt int) (time.Duration, bool) {
	var er *ErrorResponse
	if errors.As(err, &er) {
		switch {
		case er.isDailyLimit():
			// Futile until midnight in the account's time zone, and every
			// try counts against the quota the account's other apps share.
			return 0, false
		case er.StatusCode == http.StatusTooManyRequests:
			// HubSpot refused the request before doing anything with it,
			// so a create is retried too.
			if er.RetryAfter > 0 {
				return er.RetryAfter, true
			}
			return max(atLeast(c.window(req, er)), c.backoff(attempt)), true
		case er.StatusCode == http.StatusLocked:
			// A lock refuses the request: HubSpot applied nothing, so a
			// create is retried too, once the lock is over.
			return max(atLeast(lockedWait), c.backoff(attempt)), true
		case er.StatusCode >= 500 && !req.Create:
			return c.backoff(attempt), true
		default:
			return 0, false
		}
	}
	var te *transportError
	if errors.As(err, &te) && (!req.Create || te.neverSent()) {
		return c.backoff(attempt), true
	}
	return 0, false
}

// slowSearch halves the search pace when HubSpot refused a search for the
// search limit: a 429 other than DAILY (searches are exempt from the
// 10-second limit, as HubSpot's specs mark every search operation:
// "x-hubspot-rate-limit-exemptions": ["ten-secondly"]). It is the only
// sign of the other pipelines' and integrations' searches the client gets.
func (c *Client) slowSearch(ctx context.Context, req *Request, err error) {
	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != http.StatusTooManyRequests || er.isDailyLimit() {
		return
	}
	if pace, slowed := c.search.Slow(); slowed {
		c.logger.DebugContext(ctx, "hubspot refused a search for the search limit: slowing searches down",
			"method", req.Method, "path", req.Path, "policy", er.PolicyName,
			"searchesPerSecond", strconv.FormatFloat(pace, 'f', 2, 64))
	}
}

// window is how long a 429 without Retry-After is waited out: the window of
// the limit the request ran into. A SECONDLY 429 names the per-second
// limit, search's.
func (c *Client) window(req *Request, er *ErrorResponse) time.Duration {
	if req.Search || strings.EqualFold(er.PolicyName, "SECONDLY") {
		return searchRateWindow
	}
	if w := time.Duration(c.rateWindow.Load()); w > 0 {
		return w
	}
	return defaultRateWindow
}

// atLeast is d and up to a fifth more, so that clients refused together do
// not all come back at the same moment.
func atLeast(d time.Duration) time.Duration { return d + rand.N(d/5+1) }

// backoff is exponential with equal jitter: half the delay is fixed, half
// random, so that clients that failed together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.maxBackoff
	if attempt < 30 {
		d = min(c.minBackoff<<attempt, c.maxBackoff)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// transportError is a request that got no usable HTTP answer: the connection
// failed, or the body could not be read or decoded.
type transportError struct {
	method, path string
	status       int // the status, if one arrived before the failure
	err          error
}

func (e *transportError) Error() string {
	if e.status != 0 {
		return fmt.Sprintf("hubspot: %s %s: status %d: %v", e.method, e.path, e.status, e.err)
	}
	return fmt.Sprintf("hubspot: %s %s: %v", e.method, e.path, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// neverSent reports whether the request surely did not reach HubSpot: the
// connection was refused, or the host could not be resolved.
func (e *transportError) neverSent() bool {
	if e.status != 0 {
		return false
	}
	var dnsErr *net.DNSError
	if errors.Is(e.err, syscall.ECONNREFUSED) || errors.As(e.err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(e.err, &opErr) && opErr.Op == "dial"
}

// get sends a GET and decodes its answer.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	req, err := NewRequest(http.MethodGet, path, q, nil)
	if err != nil {
		return err
	}
	return c.Do(ctx, req, out)
}
