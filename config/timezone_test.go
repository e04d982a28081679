package config_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// logLine is one line of the connector's log, as zerolog writes it.
type logLine struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

// TestAccountTimeZone: OpenClient gives the client the account's time
// zone: accountTimeZone's when set, without reading the details; else the
// details'. Where the details cannot be read (no scope, a failing HubSpot)
// or name a zone no one knows, the client keeps UTC and one warning names
// accountTimeZone and UTC. A refused sign-in fails, explained, as the next
// call would, with no warning about the zone.
func TestAccountTimeZone(t *testing.T) {
	const detailsPath = "/account-info/2026-09/details"
	tests := []struct {
		name     string
		sim      []hubspottest.Option
		fault    *hubspottest.Fault
		setting  string // accountTimeZone
		token    string // "": the simulator's
		want     string // the client's zone
		details  int    // calls of the details
		warnings int    // about the zone
		wantErr  string
	}{
		{name: "read from the details", sim: []hubspottest.Option{hubspottest.WithAccountTimeZone("America/New_York")}, want: "America/New_York", details: 1},
		{name: "an older alias, as in HubSpot's example", sim: []hubspottest.Option{hubspottest.WithAccountTimeZone("US/Eastern")}, want: "US/Eastern", details: 1},
		{name: "set: the details are not read", sim: []hubspottest.Option{hubspottest.WithAccountTimeZone("America/New_York")}, setting: "Europe/Paris", want: "Europe/Paris"},
		{name: "set, and no scope for the details", sim: []hubspottest.Option{hubspottest.WithoutScopes("oauth")}, setting: "Asia/Tokyo", want: "Asia/Tokyo"},
		{name: "no scope for the details", sim: []hubspottest.Option{hubspottest.WithoutScopes("oauth")}, want: "UTC", details: 1, warnings: 1},
		{name: "a zone no one knows", sim: []hubspottest.Option{hubspottest.WithAccountTimeZone("Mars/Olympus")}, want: "UTC", details: 1, warnings: 1},
		{name: "no zone", sim: []hubspottest.Option{hubspottest.WithAccountTimeZone("")}, want: "UTC", details: 1, warnings: 1},
		{name: "HubSpot fails", fault: &hubspottest.Fault{Method: http.MethodGet, Path: detailsPath, Kind: hubspottest.FaultStatus, Status: 503, Times: 10}, want: "UTC", details: 2, warnings: 1},
		{name: "a refused token", token: "pat-na1-wrong-token-value", details: 1, wantErr: `HubSpot refused the access token (parameter "accessToken")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv, err := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithoutRateLimits()}, tt.sim...)...)
			is.NoErr(err)
			t.Cleanup(srv.Close)
			if tt.fault != nil {
				srv.InjectFault(*tt.fault)
			}
			token := srv.Token
			if tt.token != "" {
				token = tt.token
			}
			var logs bytes.Buffer
			ctx := zerolog.New(&logs).WithContext(context.Background())
			cfg := config.Config{AccessToken: token, BaseURL: srv.URL, MaxRetries: 1, AccountTimeZone: tt.setting}

			client, err := cfg.OpenClient(ctx, hubspot.WithBackoff(time.Millisecond, time.Millisecond))
			is.Equal(srv.Calls()["GET "+detailsPath], tt.details)
			warnings := 0
			for _, raw := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				var l logLine
				if raw == "" || json.Unmarshal([]byte(raw), &l) != nil || l.Level != "warn" {
					continue
				}
				warnings++
				is.True(strings.Contains(l.Message, `"accountTimeZone"`)) // names the parameter to set
				is.True(strings.Contains(l.Message, "midnight UTC"))
			}
			is.Equal(warnings, tt.warnings)
			is.True(!strings.Contains(logs.String(), token))
			if tt.wantErr != "" {
				is.True(err != nil)
				is.True(strings.Contains(err.Error(), tt.wantErr))
				is.True(!strings.Contains(err.Error(), token))
				return
			}
			is.NoErr(err)
			t.Cleanup(client.Close)
			is.Equal(client.AccountTimeZone().String(), tt.want)
		})
	}
}
