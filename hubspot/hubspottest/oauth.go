package hubspottest

import (
	"fmt"
	"net/http"
	"time"
)

// HubSpot's OAuth apps (../shared/hubspot-api.md, "OAuth apps"): a refresh
// token is exchanged at POST /oauth/v1/token for an access token that lives
// 30 minutes, and each app has a 10-second limit of its own.
const (
	defaultAccessTokenLifetime = 1800 * time.Second
	// defaultOAuthBurst is an OAuth app's 10-second limit, "about 110
	// requests per 10 s" (hubspot-api.md).
	defaultOAuthBurst = 110
)

// oauthApp is an OAuth app installed in the account.
type oauthApp struct {
	clientID, secret string
	// refresh holds the refresh tokens the app's exchanges accept.
	refresh map[string]bool
	// burst counts the app's requests in its own rolling window, apart from
	// the private app's (hubspot-api.md: the 10-second limit is per app).
	burst []time.Time
}

// grant is an access token the token endpoint issued.
type grant struct {
	app     *oauthApp
	expires time.Time
}

// oauthState is what the server keeps of its OAuth apps. Callers hold s.mu.
type oauthState struct {
	apps     map[string]*oauthApp // by client id
	grants   map[string]grant     // by access token
	lifetime time.Duration
	// rotate makes every exchange issue a new refresh token and refuse the
	// one exchanged.
	rotate bool
}

type oauthAppConfig struct{ clientID, secret, refreshToken string }

// WithOAuthApp installs an OAuth app in the account: its client id and
// secret, and a refresh token the account granted it. Calling it again with
// the same client id adds another refresh token.
func WithOAuthApp(clientID, clientSecret, refreshToken string) Option {
	return func(c *config) {
		c.oauthApps = append(c.oauthApps, oauthAppConfig{clientID, clientSecret, refreshToken})
	}
}

// WithAccessTokenLifetime sets how long an access token from the token
// endpoint lives on the server's clock (default 1800 s, HubSpot's 30
// minutes, hubspot-api.md). It is its expires_in.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithRefreshTokenRotation makes every exchange answer with a new refresh
// token and refuse the one it exchanged from then on. HubSpot may return a
// new refresh token (hubspot-api.md), and OAuth 2.0 lets a server retire
// the old one: "the client MUST discard the old refresh token and replace it
// with the new refresh token" (RFC 6749, section 6). Off by default, as
// HubSpot's answers repeat the refresh token they were given.
func WithRefreshTokenRotation() Option { return func(c *config) { c.rotateRefresh = true } }

// WithOAuthRateLimit sets the rolling-window limit of each OAuth app
// (default 110 requests in the window of WithRateLimit, hubspot-api.md);
// 0 turns it off.
func WithOAuthRateLimit(requests int) Option {
	return func(c *config) { c.limits.oauthBurst = requests }
}

func newOAuthState(cfg config) oauthState {
	st := oauthState{apps: map[string]*oauthApp{}, grants: map[string]grant{}, lifetime: cfg.tokenLifetime, rotate: cfg.rotateRefresh}
	if st.lifetime <= 0 {
		st.lifetime = defaultAccessTokenLifetime
	}
	for _, a := range cfg.oauthApps {
		app := st.apps[a.clientID]
		if app == nil {
			app = &oauthApp{clientID: a.clientID, secret: a.secret, refresh: map[string]bool{}}
			st.apps[a.clientID] = app
		}
		app.refresh[a.refreshToken] = true
	}
	return st
}

// RevokeRefreshToken makes the token endpoint refuse a refresh token, as
// when the account uninstalls the app. Access tokens issued from it live
// on until they expire: hubspot-api.md says nothing of revoking them, and
// a client must cope with either.
func (s *Server) RevokeRefreshToken(refreshToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, app := range s.oauth.apps {
		delete(app.refresh, refreshToken)
	}
}

// RefreshTokens returns the refresh tokens an app's exchanges accept now:
// with WithRefreshTokenRotation, the newest one.
func (s *Server) RefreshTokens(clientID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	if app := s.oauth.apps[clientID]; app != nil {
		for t := range app.refresh {
			out = append(out, t)
		}
	}
	return out
}

// tokenAnswer is the token endpoint's answer.
type tokenAnswer struct {
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
}

// oauthError is the token endpoint's error body: its status is a code such
// as BAD_REFRESH_TOKEN, not "error" (hubspot-api.md, "OAuth apps").
type oauthError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
}

// exchangeToken serves POST /oauth/v1/token for grant_type=refresh_token.
// It takes no bearer token and counts against no API limit. Callers hold
// s.mu.
func (s *Server) exchangeToken(w http.ResponseWriter, r *http.Request) {
	refuse := func(status, message string) {
		writeJSON(w, http.StatusBadRequest, oauthError{Status: status, Message: message, CorrelationID: s.correlationID()})
	}
	if err := r.ParseForm(); err != nil {
		refuse("BAD_REQUEST", "the body must be form-encoded")
		return
	}
	// Only BAD_REFRESH_TOKEN is documented (hubspot-api.md); the other
	// codes are assumed to have its shape.
	if gt := r.PostForm.Get("grant_type"); gt != "refresh_token" {
		refuse("BAD_GRANT_TYPE", fmt.Sprintf("unsupported grant_type %q", gt))
		return
	}
	app := s.oauth.apps[r.PostForm.Get("client_id")]
	if app == nil {
		refuse("BAD_CLIENT_ID", "missing or unknown client id")
		return
	}
	if r.PostForm.Get("client_secret") != app.secret {
		refuse("BAD_CLIENT_SECRET", "missing or invalid client secret")
		return
	}
	refresh := r.PostForm.Get("refresh_token")
	if !app.refresh[refresh] {
		refuse("BAD_REFRESH_TOKEN", "missing or unknown refresh token")
		return
	}
	if s.oauth.rotate {
		delete(app.refresh, refresh)
		refresh = "sim-refresh-" + randomHex(16)
		app.refresh[refresh] = true
	}
	access := "sim-oauth-" + randomHex(24)
	s.oauth.grants[access] = grant{app: app, expires: s.now().Add(s.oauth.lifetime)}
	writeJSON(w, http.StatusOK, tokenAnswer{TokenType: "bearer", RefreshToken: refresh, AccessToken: access,
		ExpiresIn: int64(s.oauth.lifetime / time.Second)})
}

// oauthAuthenticate checks an OAuth access token: the app it was issued to,
// or HubSpot's 401 for a token it never issued or one that expired.
// Callers hold s.mu.
func (s *Server) oauthAuthenticate(token string) (*oauthApp, *apiError) {
	g, ok := s.oauth.grants[token]
	if !ok {
		return nil, &apiError{status: http.StatusUnauthorized, category: categoryAuth,
			message: "The OAuth token used to make this call is not valid or has expired."}
	}
	now := s.now()
	if !now.Before(g.expires) {
		// HubSpot's answer to an expired token, as quoted in
		// https://github.com/airbytehq/airbyte/issues/74726: category
		// EXPIRED_AUTHENTICATION, and the expiry in the context.
		return nil, &apiError{status: http.StatusUnauthorized, category: "EXPIRED_AUTHENTICATION",
			message: fmt.Sprintf("The OAuth token used to make this call expired %d second(s) ago.", int64(now.Sub(g.expires)/time.Second)),
			context: map[string][]string{"expire time": {g.expires.Format("2006-01-02T15:04:05.000Z")}}}
	}
	return g.app, nil
}
