package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"time"
	_ "time/tzdata" // the account's zone resolves on hosts without a zone database too
)

// DefaultAccountTimeZone is the account's time zone unless
// WithAccountTimeZone says otherwise: the time zone of the example answer
// in HubSpot's spec of the account details
// (PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json),
// also the example of HubSpot's changelog that added utcOffset to the
// older account endpoint ("Timezone (e.g. US/Eastern)"). That most accounts
// are set to a US zone is a guess; what matters to tests is that the
// default is no UTC, so that a client that assumes UTC misses the reset.
const DefaultAccountTimeZone = "US/Eastern"

// scopeBasic is the scope HubSpot's spec asks of the account details call
// ("oauth", "Basic HubSpot account information": the security of
// /account-info/{version}/details in the spec above, v3 to 2026-09).
const scopeBasic = "oauth"

// WithAccountTimeZone sets the account's time zone, as the account details
// answer names it (default DefaultAccountTimeZone). HubSpot resets the
// daily quota at midnight there ("The daily limits reset at midnight based
// on the time zone setting of the HubSpot account",
// https://developers.hubspot.com/apisbytier), and so does the simulator. A
// name Go's zone database does not know is answered as it is, for tests of
// a client that cannot read it; the simulator then counts its days in UTC.
func WithAccountTimeZone(name string) Option { return func(c *config) { c.timeZone = name } }

// WithoutScopes makes the token lack scopes: a call that needs one of them
// is refused with a 403 MISSING_SCOPES. By default the token has every
// scope. Only the account details declare their scope (oauth) so far:
// tests of the other APIs inject a 403 (InjectFault) where they need one.
func WithoutScopes(scopes ...string) Option {
	return func(c *config) { c.missingScopes = append(c.missingScopes, scopes...) }
}

// accountZone loads the account's zone; a name the zone database does not
// know counts days in UTC (WithAccountTimeZone).
func accountZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return time.UTC
	}
	return loc
}

// accountDetailsJSON is HubSpot's PortalInformationResponse (the spec
// above), with every field the spec requires. It is the simulator's own,
// not the client's hubspot.AccountDetails: a field name wrong in one of
// them then shows in the tests instead of agreeing with itself.
type accountDetailsJSON struct {
	PortalID              int64    `json:"portalId"`
	TimeZone              string   `json:"timeZone"`
	UTCOffset             string   `json:"utcOffset"`
	UTCOffsetMilliseconds int64    `json:"utcOffsetMilliseconds"`
	AccountType           string   `json:"accountType"`
	CompanyCurrency       string   `json:"companyCurrency"`
	AdditionalCurrencies  []string `json:"additionalCurrencies"`
	DataHostingLocation   string   `json:"dataHostingLocation"`
	UIDomain              string   `json:"uiDomain"`
}

// accountDetails serves GET /account-info/{version}/details. The offset
// is the zone's at the server's time, as the spec's example shows it
// ("-04:00", -14400000 for US/Eastern in summer). The currency and the
// hosting location are the spec's example's; the account is a standard
// one in HubSpot's US data centre.
func (s *Server) accountDetails(*http.Request) (int, any, *apiError) {
	_, offset := s.now().In(s.zone).Zone()
	sign, abs := '+', offset
	if offset < 0 {
		sign, abs = '-', -offset
	}
	return http.StatusOK, accountDetailsJSON{
		PortalID:              s.PortalID,
		TimeZone:              s.zoneName,
		UTCOffset:             fmt.Sprintf("%c%02d:%02d", sign, abs/3600, abs%3600/60),
		UTCOffsetMilliseconds: int64(offset) * 1000,
		AccountType:           "STANDARD",
		CompanyCurrency:       "USD",
		AdditionalCurrencies:  []string{},
		DataHostingLocation:   "na1",
		UIDomain:              "app.hubspot.com",
	}, nil
}

// needsScope refuses a call when the token lacks its scope
// (WithoutScopes), and hands it to h otherwise. The body is HubSpot's
// MISSING_SCOPES answer: the status, message and category as HubSpot sends
// them (github.com/HubSpot/hubspot-api-nodejs/issues/50); the errors entry
// naming the scope is a guess at what that issue leaves out.
func (s *Server) needsScope(scope string, h handlerFunc) handlerFunc {
	return func(r *http.Request) (int, any, *apiError) {
		if slices.Contains(s.missingScopes, scope) {
			return 0, nil, &apiError{status: http.StatusForbidden, category: "MISSING_SCOPES",
				message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
				errors:  []errorDetail{{Message: "One or more of the following scopes are required.", Context: ctxMap("requiredScopes", scope)}}}
		}
		return h(r)
	}
}
