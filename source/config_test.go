package source_test

import (
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/configtest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
)

// TestValidate: each rule of the source's own durations, alone, fails with
// an error that names its parameter and states the value.
func TestValidate(t *testing.T) {
	valid := func() source.Config {
		return source.Config{
			Config:        config.Config{AccessToken: "pat-na1-x", Resource: "contacts", MaxRetries: 4, BaseURL: "https://api.hubapi.com", RateLimitPercent: 100},
			PollingPeriod: 5 * time.Second, BufferSize: 100, LookbackWindow: 30 * time.Second, DeletesPollingPeriod: time.Minute, DeletesRateShare: 10,
		}
	}
	configtest.Run(t, valid, []configtest.Case[source.Config]{
		{Name: "valid", Change: func(*source.Config) {}, Want: ""},
		{Name: "polling period 0", Change: func(c *source.Config) { c.PollingPeriod = 0 }, Want: `"pollingPeriod": 0s is not positive`},
		{Name: "negative polling period", Change: func(c *source.Config) { c.PollingPeriod = -time.Second }, Want: `"pollingPeriod": -1s is not positive`},
		{Name: "deletes polling period 0 (auto)", Change: func(c *source.Config) { c.DeletesPollingPeriod = 0 }, Want: ""},
		{Name: "negative deletes polling period", Change: func(c *source.Config) { c.DeletesPollingPeriod = -time.Second }, Want: `"deletesPollingPeriod": -1s is negative`},
		{Name: "deletes rate share 0", Change: func(c *source.Config) { c.DeletesRateShare = 0 }, Want: `"deletesRateShare": 0 is less than 1`},
		{Name: "deletes rate share over 100", Change: func(c *source.Config) { c.DeletesRateShare = 101 }, Want: `"deletesRateShare": 101 is more than 100`},
		{Name: "no daily reserve", Change: func(c *source.Config) { c.DailyReservePercent = 0 }, Want: ""},
		{Name: "the whole daily quota in reserve", Change: func(c *source.Config) { c.DailyReservePercent = 100 }, Want: `"dailyReservePercent": 100 is more than 99`},
		{Name: "buffer size 0", Change: func(c *source.Config) { c.BufferSize = 0 }, Want: `"bufferSize": 0 is less than 1`},
		{Name: "no lookback", Change: func(c *source.Config) { c.LookbackWindow = 0 }, Want: ""},
		{Name: "negative lookback", Change: func(c *source.Config) { c.LookbackWindow = -time.Second }, Want: `"lookbackWindow": -1s is negative`},
		{Name: "properties", Change: func(c *source.Config) { c.Properties = []string{"email"} }, Want: ""},
		{Name: "extra properties", Change: func(c *source.Config) { c.ExtraProperties = []string{"phone"} }, Want: ""},
		{Name: "properties and extra properties", Change: func(c *source.Config) {
			c.Properties, c.ExtraProperties = []string{"email"}, []string{"phone"}
		}, Want: `"properties" and "extraProperties" are both set`},
		{Name: "url redirects", Change: func(c *source.Config) { c.Resource = "cms.urlRedirects" }, Want: ""},
		{Name: "hubdb tables", Change: func(c *source.Config) { c.Resource = "cms.hubdb.tables" }, Want: ""},
		{Name: "a shared rule", Change: func(c *source.Config) { c.MaxRetries = 11 }, Want: `"maxRetries": 11 is more than 10`},
	})
}
