package hubspot

import (
	"context"
	"fmt"
)

// AccountService calls the account information API
// (/account-info/{version}), which says what the account is: among other
// things the time zone whose midnight resets the daily API quota.
type AccountService struct {
	client *Client
}

// AccountDetails is the account information API's answer to
// GET /account-info/{version}/details: the PortalInformationResponse of
// HubSpot's spec (PublicApiSpecs/Account/Account Info/Rollouts/144923/<v3|2026-03|2026-09>/accountInfo.json),
// which is the same at every version.
type AccountDetails struct {
	// PortalID is the account's id (the "Hub ID").
	PortalID int64 `json:"portalId"`
	// TimeZone is the time zone set for the account, as HubSpot names it:
	// an IANA name such as America/New_York, or one of the older aliases
	// such as US/Eastern (the spec's example).
	TimeZone string `json:"timeZone"`
	// UTCOffset and UTCOffsetMilliseconds are the zone's offset from UTC
	// when HubSpot answered ("-04:00", -14400000).
	UTCOffset             string `json:"utcOffset"`
	UTCOffsetMilliseconds int64  `json:"utcOffsetMilliseconds"`
	// AccountType is APP_DEVELOPER, DEVELOPER_TEST, SANDBOX or STANDARD.
	AccountType          string   `json:"accountType"`
	CompanyCurrency      string   `json:"companyCurrency"`
	AdditionalCurrencies []string `json:"additionalCurrencies"`
	// DataHostingLocation is where the account's data is held (na1, eu1).
	DataHostingLocation string `json:"dataHostingLocation"`
	// UIDomain is the host of the account's HubSpot app (app.hubspot.com).
	UIDomain string `json:"uiDomain"`
}

// Details reads the account's details. HubSpot's spec asks for the oauth
// scope; a token without it gets a 403.
func (s *AccountService) Details(ctx context.Context) (*AccountDetails, error) {
	var d AccountDetails
	if err := s.client.get(ctx, s.client.path(APIAccountInfo, "details"), nil, &d); err != nil {
		return nil, fmt.Errorf("read the account details: %w", err)
	}
	return &d, nil
}
