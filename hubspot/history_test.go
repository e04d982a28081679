package hubspot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestPropertiesWithHistory: at every version, the list, the read of one
// object and batch read return the values a property held with their
// times and source; a list page with history is 50 objects unless asked
// for fewer, more is refused before a request, and a batch read with
// history goes 50 ids a call.
func TestPropertiesWithHistory(t *testing.T) {
	paths := map[hubspot.APIVersion]string{
		hubspot.Version202609: "/crm/objects/2026-09/deals",
		hubspot.Version202603: "/crm/objects/2026-03/deals",
		hubspot.VersionLegacy: "/crm/v3/objects/deals",
	}
	for _, v := range hubspot.APIVersions() {
		t.Run(string(v), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			clock := hubspottest.NewManualClock(start)
			srv := newSim(t, hubspottest.WithoutRateLimits(), hubspottest.WithClock(clock))
			ids, err := srv.Seed("deals", 120, func(int) map[string]string { return map[string]string{"dealstage": "appointmentscheduled"} })
			is.NoErr(err)
			clock.Advance(time.Minute)
			is.NoErr(srv.Update("deals", ids[0], map[string]string{"dealstage": "closedwon"}))
			objs := simClient(t, srv, hubspot.WithAPIVersion(v)).Objects
			hist := []string{"dealstage"}

			page, err := objs.List(ctx, "deals", hubspot.ListOptions{PropertiesWithHistory: hist})
			is.NoErr(err)
			is.Equal(len(page.Results), hubspot.MaxHistoryLimit)
			is.Equal(srv.Calls()["GET "+paths[v]], 1)
			values := page.Results[0].PropertiesWithHistory["dealstage"]
			is.Equal(len(values), 2)
			is.Equal(values[0].Value, "closedwon")
			is.True(values[0].Timestamp.Equal(start.Add(time.Minute)))
			is.Equal(values[0].SourceType, "API")
			is.Equal(values[1].Value, "appointmentscheduled")
			is.True(values[1].Timestamp.Equal(start))

			_, err = objs.List(ctx, "deals", hubspot.ListOptions{Limit: 100, PropertiesWithHistory: hist})
			is.True(err != nil) // refused here, not by HubSpot
			is.Equal(srv.Calls()["GET "+paths[v]], 1)

			one, err := objs.Get(ctx, "deals", ids[0], hubspot.GetOptions{PropertiesWithHistory: hist})
			is.NoErr(err)
			is.Equal(len(one.PropertiesWithHistory["dealstage"]), 2)

			res, err := objs.BatchRead(ctx, "deals", hubspot.BatchReadRequest{IDs: ids, PropertiesWithHistory: hist})
			is.NoErr(err)
			is.Equal(len(res.Results), 120)
			is.Equal(srv.Calls()["POST "+paths[v]+"/batch/read"], 3) // 50, 50, 20
			for _, o := range res.Results {
				want := 1
				if o.ID == ids[0] {
					want = 2
				}
				is.Equal(len(o.PropertiesWithHistory["dealstage"]), want) // each object its own
			}

			// Too many properties for a URL: the page's ids are listed
			// without the histories, which the batch read then reads.
			wide := []string{"dealstage"}
			for i := range 600 {
				wide = append(wide, fmt.Sprintf("a_property_name_long_enough_to_fill_the_url_%03d", i))
			}
			srv.ResetCalls()
			page, err = objs.List(ctx, "deals", hubspot.ListOptions{Properties: wide, PropertiesWithHistory: hist})
			is.NoErr(err)
			is.Equal(len(page.Results), hubspot.MaxHistoryLimit)
			is.Equal(len(page.Results[0].PropertiesWithHistory["dealstage"]), 2)
			is.Equal(srv.HistoryReads(), []int{hubspot.MaxHistoryLimit}) // the batch read's alone
		})
	}
}
