package hubspot

import (
	"context"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

// TestConfigure parses configurations the way Conduit does, through the
// generated specification, and checks that each bad value fails naming its
// parameter.
func TestConfigure(t *testing.T) {
	spec := Connector.NewSpecification()
	valid := func(extra map[string]string) config.Config {
		c := config.Config{"accessToken": "pat-na1-secret-value", "resource": "contacts"}
		for k, v := range extra {
			if v == "<unset>" {
				delete(c, k)
				continue
			}
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name    string
		dest    bool
		extra   map[string]string
		wantErr string // "" for success; else a parameter name the error must hold
	}{
		{name: "defaults", extra: nil},
		{name: "legacy resource spelling", extra: map[string]string{"resource": "crm.lineItems"}},
		{name: "custom object", extra: map[string]string{"resource": "2-12345"}},
		{name: "simulator on loopback", extra: map[string]string{"baseURL": "http://127.0.0.1:3000"}},
		{name: "missing token", extra: map[string]string{"accessToken": "<unset>"}, wantErr: "accessToken"},
		{name: "token with white space", extra: map[string]string{"accessToken": "pat na1"}, wantErr: "accessToken"},
		{name: "missing resource", extra: map[string]string{"resource": "<unset>"}, wantErr: "resource"},
		{name: "unknown resource", extra: map[string]string{"resource": "widgets"}, wantErr: "resource"},
		{name: "negative retries", extra: map[string]string{"maxRetries": "-1"}, wantErr: "maxRetries"},
		{name: "daily reserve of the whole quota", extra: map[string]string{"dailyReservePercent": "100"}, wantErr: "dailyReservePercent"},
		{name: "deletes rate share 0", extra: map[string]string{"deletesRateShare": "0"}, wantErr: "deletesRateShare"},
		{name: "too many retries", extra: map[string]string{"maxRetries": "11"}, wantErr: "maxRetries"},
		{name: "retries not a number", extra: map[string]string{"maxRetries": "many"}, wantErr: "maxRetries"},
		{name: "half the rate limits", extra: map[string]string{"rateLimitPercent": "50", "onDailyLimit": "fail", "accountTimeZone": "America/New_York"}},
		{name: "rate limit share 0", extra: map[string]string{"rateLimitPercent": "0"}, wantErr: "rateLimitPercent"},
		{name: "rate limit share over 100", extra: map[string]string{"rateLimitPercent": "101"}, wantErr: "rateLimitPercent"},
		{name: "rate limit share as a fraction", extra: map[string]string{"rateLimitPercent": "0.5"}, wantErr: "rateLimitPercent"},
		{name: "API version 2026-03", extra: map[string]string{"apiVersion": "2026-03"}},
		{name: "legacy API version", dest: true, extra: map[string]string{"apiVersion": "legacy"}},
		{name: "unknown API version", extra: map[string]string{"apiVersion": "v3"}, wantErr: "apiVersion"},
		{name: "unknown API version, destination", dest: true, extra: map[string]string{"apiVersion": "2025-09"}, wantErr: "2026-09"},
		{name: "unknown daily-limit action", extra: map[string]string{"onDailyLimit": "retry"}, wantErr: "onDailyLimit"},
		{name: "unknown time zone", extra: map[string]string{"accountTimeZone": "Mars/Olympus"}, wantErr: "accountTimeZone"},
		{name: "time zone by an older alias", extra: map[string]string{"accountTimeZone": "US/Eastern"}},
		{name: "time zone empty: the account's", dest: true, extra: map[string]string{"accountTimeZone": ""}},
		{name: "the host's time zone", extra: map[string]string{"accountTimeZone": "Local"}, wantErr: "accountTimeZone"},
		{name: "plain http to a remote host", extra: map[string]string{"baseURL": "http://api.hubapi.com"}, wantErr: "baseURL"},
		{name: "buffer size 0", extra: map[string]string{"bufferSize": "0"}, wantErr: "bufferSize"},
		{name: "buffer size 101", extra: map[string]string{"bufferSize": "101"}, wantErr: "bufferSize"},
		{name: "polling period 0", extra: map[string]string{"pollingPeriod": "0s"}, wantErr: "pollingPeriod"},
		{name: "polling period not a duration", extra: map[string]string{"pollingPeriod": "often"}, wantErr: "pollingPeriod"},
		{name: "negative lookback", extra: map[string]string{"lookbackWindow": "-1s"}, wantErr: "lookbackWindow"},
		{name: "destination defaults", dest: true},
		{name: "destination upsert", dest: true, extra: map[string]string{"idProperty": "email", "readOnlyProperties": "skip"}},
		{name: "destination bad read-only mode", dest: true, extra: map[string]string{"readOnlyProperties": "ignore"}, wantErr: "readOnlyProperties"},
		{name: "destination of read-only owners", dest: true, extra: map[string]string{"resource": "owners"}, wantErr: "resource"},
		{name: "destination bad resource", dest: true, extra: map[string]string{"resource": "crm.widgets"}, wantErr: "resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var (
				target any
				params config.Parameters
			)
			if tt.dest {
				target, params = destination.New().Config(), spec.DestinationParams
			} else {
				target, params = source.New().Config(), spec.SourceParams
			}
			err := sdk.Util.ParseConfig(context.Background(), valid(tt.extra), target, params)
			if tt.wantErr == "" {
				is.NoErr(err)
				return
			}
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), tt.wantErr))
			is.True(!strings.Contains(err.Error(), "pat-na1-secret-value"))
		})
	}
}

// TestSpecificationShowsLimits: the ranges and choices of parameters are in
// the generated specification, where Conduit's API and UI show and check
// them, not only in the connector's own Validate.
func TestSpecificationShowsLimits(t *testing.T) {
	spec := Connector.NewSpecification()
	for _, tc := range []struct {
		side   string
		params config.Parameters
		names  []string
	}{
		{"source", spec.SourceParams, []string{"maxRetries", "rateLimitPercent", "dailyReservePercent", "deletesRateShare", "bufferSize", "apiVersion", "onDailyLimit"}},
		{"destination", spec.DestinationParams, []string{"maxRetries", "rateLimitPercent", "apiVersion", "onDailyLimit", "readOnlyProperties", "associationsMode"}},
	} {
		for _, name := range tc.names {
			t.Run(tc.side+"/"+name, func(t *testing.T) {
				is := is.New(t)
				p, ok := tc.params[name]
				is.True(ok)
				is.True(len(p.Validations) > 0) // connector.yaml lists the parameter's limits
			})
		}
	}
}

func TestSourceDefaults(t *testing.T) {
	is := is.New(t)
	cfg := &source.Config{}
	err := sdk.Util.ParseConfig(context.Background(),
		config.Config{"accessToken": "t", "resource": "deals", "extraProperties": "amount,dealname"},
		cfg, Connector.NewSpecification().SourceParams)
	is.NoErr(err)
	is.Equal(cfg.MaxRetries, 4)
	is.Equal(cfg.BaseURL, "https://api.hubapi.com")
	is.Equal(cfg.APIVersion, "2026-09")
	is.Equal(cfg.AccountTimeZone, "") // read from the account details at Open
	is.Equal(cfg.BufferSize, 100)
	is.Equal(cfg.PollingPeriod.String(), "5s")
	is.Equal(cfg.LookbackWindow.String(), "30s")
	is.True(cfg.Snapshot)
	is.True(cfg.Deletes)
	is.Equal(cfg.ExtraProperties, []string{"amount", "dealname"})
}
