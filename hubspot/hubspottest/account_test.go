package hubspottest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestAccountDetails: the details answer at every version with each field
// HubSpot's spec requires, the time zone as the account names it and its
// offset at the server's time.
func TestAccountDetails(t *testing.T) {
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		opts     []hubspottest.Option
		at       time.Time
		zone     string
		offset   string
		offsetMs float64
	}{
		{name: "default zone in winter", at: start, zone: hubspottest.DefaultAccountTimeZone, offset: "-05:00", offsetMs: -18_000_000},
		{name: "New York in summer", opts: []hubspottest.Option{hubspottest.WithAccountTimeZone("America/New_York")}, at: summer, zone: "America/New_York", offset: "-04:00", offsetMs: -14_400_000},
		{name: "half-hour zone", opts: []hubspottest.Option{hubspottest.WithAccountTimeZone("Asia/Kolkata")}, at: summer, zone: "Asia/Kolkata", offset: "+05:30", offsetMs: 19_800_000},
		{name: "UTC", opts: []hubspottest.Option{hubspottest.WithAccountTimeZone("UTC")}, at: summer, zone: "UTC", offset: "+00:00", offsetMs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			opts := append([]hubspottest.Option{hubspottest.WithClock(hubspottest.NewManualClock(tt.at)), hubspottest.WithPortalID(4242)}, tt.opts...)
			srv := newServer(t, opts...)
			for _, path := range []string{"/account-info/v3/details", "/account-info/2025-09/details", "/account-info/2026-03/details", "/account-info/2026-09/details"} {
				got := call(t, srv, http.MethodGet, path, "")
				is.Equal(got.status, http.StatusOK) // GET path
				v := got.json(t)
				is.Equal(v["portalId"], float64(4242))
				is.Equal(v["timeZone"], tt.zone)
				is.Equal(v["utcOffset"], tt.offset)
				is.Equal(v["utcOffsetMilliseconds"], tt.offsetMs)
				for _, field := range []string{"accountType", "additionalCurrencies", "companyCurrency", "dataHostingLocation", "uiDomain"} {
					_, ok := v[field]
					is.True(ok) // a field the spec requires
				}
			}
		})
	}
}

// TestAccountDetailsScope: a token without the oauth scope gets HubSpot's
// 403 MISSING_SCOPES for the details, and the other APIs as before.
func TestAccountDetailsScope(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutScopes("oauth"))
	got := call(t, srv, http.MethodGet, "/account-info/2026-09/details", "")
	is.Equal(got.status, http.StatusForbidden)
	v := got.json(t)
	is.Equal(v["category"], "MISSING_SCOPES")
	is.Equal(v["status"], "error")
	is.Equal(call(t, srv, http.MethodGet, "/crm/objects/2026-09/contacts", "").status, http.StatusOK)

	other := newServer(t, hubspottest.WithoutScopes("crm.objects.contacts.read"))
	is.Equal(call(t, other, http.MethodGet, "/account-info/2026-09/details", "").status, http.StatusOK) // the details need oauth only
}

// TestDailyLimitResetsInAccountZone: the daily quota comes back at
// midnight in the account's time zone, not at midnight UTC.
func TestDailyLimitResetsInAccountZone(t *testing.T) {
	is := is.New(t)
	newYork, err := time.LoadLocation("America/New_York")
	is.NoErr(err)
	clock := hubspottest.NewManualClock(time.Date(2026, 3, 4, 18, 30, 0, 0, newYork))
	srv := newServer(t, hubspottest.WithClock(clock), hubspottest.WithDailyLimit(1), hubspottest.WithAccountTimeZone("America/New_York"))
	list := func() int { return call(t, srv, http.MethodGet, "/crm/objects/2026-09/contacts", "").status }
	is.Equal(list(), http.StatusOK)
	is.Equal(list(), http.StatusTooManyRequests)
	clock.Set(time.Date(2026, 3, 5, 0, 30, 0, 0, time.UTC)) // a new day in UTC, 19:30 in New York
	is.Equal(list(), http.StatusTooManyRequests)
	clock.Set(time.Date(2026, 3, 5, 0, 0, 1, 0, newYork))
	is.Equal(list(), http.StatusOK)
}
