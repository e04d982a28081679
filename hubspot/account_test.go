package hubspot_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestAccountDetailsRoundTrip: the client reads the account's time zone
// and id from the simulator at every version, and a token without the
// details' scope gets HubSpot's 403.
func TestAccountDetailsRoundTrip(t *testing.T) {
	for _, v := range hubspot.APIVersions() {
		t.Run(string(v), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t, hubspottest.WithAccountTimeZone("America/Chicago"), hubspottest.WithPortalID(987),
				hubspottest.WithClock(hubspottest.NewManualClock(pacingStart)))
			d, err := simClient(t, srv, hubspot.WithAPIVersion(v)).Account.Details(ctx)
			is.NoErr(err)
			is.Equal(d.TimeZone, "America/Chicago")
			is.Equal(d.PortalID, int64(987))
			is.Equal(d.UTCOffset, "-05:00") // summer time in May

			refused := newSim(t, hubspottest.WithoutScopes("oauth"))
			_, err = simClient(t, refused, hubspot.WithAPIVersion(v)).Account.Details(ctx)
			is.Equal(hubspot.StatusCode(err), http.StatusForbidden)
			is.Equal(refused.TotalCalls(), 1) // a 403 is not retried
		})
	}
}
