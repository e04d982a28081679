package config

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// LoadTimeZone loads a time zone by its IANA name (America/New_York, or an
// older alias such as US/Eastern, which HubSpot's account details may
// name). Unlike time.LoadLocation it refuses "" and "Local": neither names
// the account's zone.
func LoadTimeZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("want an IANA time zone such as America/New_York, got %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("want an IANA time zone such as America/New_York: %w", err)
	}
	return loc, nil
}

// OpenClient is NewClient for a source or a destination that opens: with
// accountTimeZone empty, it also reads the account's time zone from
// HubSpot's account details and gives it to the client, whose pause for a
// spent daily quota lasts until midnight there (HubSpot resets the quota
// at midnight in the account's time zone:
// https://developers.hubspot.com/apisbytier). A refused sign-in fails it,
// as it would fail the next call, explained (Explain). Where the details
// cannot be read or name no zone the connector knows, the client keeps
// UTC and one warning says which parameter to set.
func (c *Config) OpenClient(ctx context.Context, opts ...hubspot.Option) (*hubspot.Client, error) {
	client, err := c.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	if c.AccountTimeZone != "" {
		return client, nil // NewClient set it; the details are not read
	}
	if err := c.readAccountTimeZone(ctx, client); err != nil {
		client.Close()
		return nil, err
	}
	return client, nil
}

// readAccountTimeZone sets the client's time zone to the account's, as its
// details name it, or warns that it stays UTC.
func (c *Config) readAccountTimeZone(ctx context.Context, client *hubspot.Client) error {
	details, err := client.Account.Details(ctx)
	if err != nil {
		if explained := c.Explain(err); explains(explained) || ctx.Err() != nil {
			return explained
		}
		why := "the account details could not be read"
		if hubspot.StatusCode(err) == http.StatusForbidden {
			why = fmt.Sprintf("parameter %q lacks HubSpot's oauth scope, which the account details need", c.SignInParam())
		}
		warnUTC(ctx, why, err)
		return nil
	}
	loc, err := LoadTimeZone(details.TimeZone)
	if err != nil {
		warnUTC(ctx, "the account details name a time zone the connector does not know", err)
		return nil
	}
	if err := client.SetAccountTimeZone(loc); err != nil {
		return fmt.Errorf("%q: %w", KeyAccountTimeZone, err)
	}
	sdk.Logger(ctx).Info().Str("timeZone", loc.String()).
		Msg("hubspot: the account's time zone, where its daily API limit resets at midnight, read from the account details")
	return nil
}

// warnUTC is the one warning that the client keeps UTC as the account's
// time zone, and why; it names the parameter that says otherwise.
func warnUTC(ctx context.Context, why string, err error) {
	sdk.Logger(ctx).Warn().Err(err).
		Msgf("hubspot: %s, so the connector takes the account's daily API limit to reset at midnight UTC, which may be hours from HubSpot's reset at midnight in the account's time zone: set %q to that zone (an IANA name such as America/New_York)",
			why, KeyAccountTimeZone)
}

// explains reports whether err is one that Explain explained: a refused
// sign-in or a retired API version, which the next call would meet too.
func explains(err error) bool {
	var done *signInError
	return errors.As(err, &done)
}
