package hubspottest

import (
	"fmt"
	"mime"
	"net/http"
	"time"
)

// HubSpot's OAuth apps: a refresh token is exchanged at the 2026-03 OAuth
// API's token endpoint for an access token that lives 30 minutes
// (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens),
// and each app has a 10-second limit of its own.
const (
	// tokenPath is the token endpoint of
	// PublicApiSpecs/Auth/Oauth/Rollouts/279897/2026-03/oauth.json in
	// github.com/HubSpot/HubSpot-public-api-spec-collection. The v1
	// endpoint, deprecated on 16 February 2027
	// (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide),
	// is not served: it answers as any unknown path does.
	tokenPath                  = "/oauth/2026-03/token"
	defaultAccessTokenLifetime = 1800 * time.Second
	// defaultOAuthBurst is an OAuth app's 10-second limit, 110 requests
	// per account ("API usage guidelines and limits",
	// https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
	defaultOAuthBurst = 110
)

// oauthApp is an OAuth app installed in the account.
type oauthApp struct {
	clientID, secret string
	// refresh holds the refresh tokens the app's exchanges accept.
	refresh map[string]bool
	// burst counts the app's requests in its own rolling window, apart from
	// the private app's: the 10-second limit is per app (usage guidelines
	// above).
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
// minutes). It is its expires_in.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithRefreshTokenRotation makes every exchange answer with a new refresh
// token and refuse the one it exchanged from then on. HubSpot's answer
// carries a refresh token (the spec's AccessTokenResponse), and OAuth 2.0
// lets a server retire
// the old one: "the client MUST discard the old refresh token and replace it
// with the new refresh token" (RFC 6749, section 6). Off by default, as
// HubSpot's answers repeat the refresh token they were given.
func WithRefreshTokenRotation() Option { return func(c *config) { c.rotateRefresh = true } }

// WithOAuthRateLimit sets the rolling-window limit of each OAuth app
// (default 110 requests in the window of WithRateLimit); 0 turns it off.
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
// on until they expire: HubSpot's docs say nothing of revoking them (a
// guess), and a client must cope with either.
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

// tokenAnswer is the token endpoint's answer, the spec's
// AccessTokenResponse with its required fields and hub_id; the optional
// scopes, user_id and id_token are left out, as the simulator keeps no
// scopes or users.
type tokenAnswer struct {
	TokenType    string `json:"token_type"`
	TokenUse     string `json:"token_use"`
	RefreshToken string `json:"refresh_token"`
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	HubID        int64  `json:"hub_id"`
}

// oauthError is the token endpoint's error body: the spec's Error schema
// (category, correlationId and message required), with RFC 6749's error
// and error_description and HubSpot's older status beside them (changelog
// "New OAuth v3 API endpoints and standardized error responses": "Existing
// fields (status, message) remain for backward compatibility").
type oauthError struct {
	Status           string `json:"status"`
	Message          string `json:"message"`
	CorrelationID    string `json:"correlationId"`
	Category         string `json:"category"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// exchangeToken serves POST /oauth/2026-03/token for
// grant_type=refresh_token. It takes no bearer token and counts against no
// API limit. Callers hold s.mu.
func (s *Server) exchangeToken(w http.ResponseWriter, r *http.Request) {
	// The spec gives one "default" answer for every error. The status is
	// a guess: 400, RFC 6749's for every token error (section 5.2) and
	// HubSpot's for BAD_REFRESH_TOKEN on the v1 endpoint. So is the
	// category, the spec's example value; and so are the older codes
	// other than BAD_REFRESH_TOKEN.
	refuse := func(status, rfcError, message string) {
		writeJSON(w, http.StatusBadRequest, oauthError{Status: status, Message: message, CorrelationID: s.correlationID(),
			Category: "VALIDATION_ERROR", Error: rfcError, ErrorDescription: message})
	}
	// The parameters of the spec's form body, which the migration guide
	// asks for in the body, never in the query.
	for _, p := range []string{"client_assertion", "client_assertion_type", "client_id", "client_secret",
		"code", "code_verifier", "grant_type", "redirect_uri", "refresh_token", "scope"} {
		if r.URL.Query().Has(p) {
			// A guess: the docs say where the parameters belong, not
			// what the endpoint answers when they are elsewhere.
			refuse("BAD_REQUEST", "invalid_request", fmt.Sprintf("%s must be in the form-encoded body, not in the query", p))
			return
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		refuse("BAD_REQUEST", "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		refuse("BAD_REQUEST", "invalid_request", "the body must be form-encoded")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "refresh_token" {
		refuse("BAD_GRANT_TYPE", "unsupported_grant_type", fmt.Sprintf("unsupported grant_type %q", gt))
		return
	}
	app := s.oauth.apps[r.PostForm.Get("client_id")]
	if app == nil {
		refuse("BAD_CLIENT_ID", "invalid_client", "missing or unknown client id")
		return
	}
	if r.PostForm.Get("client_secret") != app.secret {
		refuse("BAD_CLIENT_SECRET", "invalid_client", "missing or invalid client secret")
		return
	}
	refresh := r.PostForm.Get("refresh_token")
	if !app.refresh[refresh] {
		// HubSpot's words, as quoted in
		// https://www.nango.dev/blog/hubspot-oauth-bad-refresh-token.
		refuse("BAD_REFRESH_TOKEN", "invalid_grant", "missing or invalid refresh token")
		return
	}
	if s.oauth.rotate {
		delete(app.refresh, refresh)
		refresh = "sim-refresh-" + randomHex(16)
		app.refresh[refresh] = true
	}
	access := "sim-oauth-" + randomHex(24)
	s.oauth.grants[access] = grant{app: app, expires: s.now().Add(s.oauth.lifetime)}
	writeJSON(w, http.StatusOK, tokenAnswer{TokenType: "bearer", TokenUse: "access_token", RefreshToken: refresh, AccessToken: access,
		ExpiresIn: int64(s.oauth.lifetime / time.Second), HubID: s.PortalID})
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
