package source_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestAPIVersions reads a snapshot and a change at each apiVersion: every
// request goes to that version's paths, and the records are the same.
func TestAPIVersions(t *testing.T) {
	tests := []struct {
		version, objects, properties, account string
	}{
		{"", "/crm/objects/2026-09/contacts", "/crm/properties/2026-09/contacts", "/account-info/2026-09"}, // the default
		{"2026-03", "/crm/objects/2026-03/contacts", "/crm/properties/2026-03/contacts", "/account-info/2026-03"},
		{"legacy", "/crm/v3/objects/contacts", "/crm/v3/properties/contacts", "/account-info/v3"},
	}
	for _, tt := range tests {
		t.Run("apiVersion="+tt.version, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			ids := seed(t, e.srv, "contacts", 3)
			settings := map[string]string{}
			if tt.version != "" {
				settings["apiVersion"] = tt.version
			}
			src := openSource(t, e, settings, nil)
			recs := readCount(t, src, 3)
			is.Equal(uniqueIDs(t, recs), ids)
			changed := readChanges(t, e, src, func() {
				is.NoErr(e.srv.Update("contacts", ids[0], map[string]string{"firstname": "Changed"}))
			})
			is.True(slices.ContainsFunc(changed, func(r opencdc.Record) bool {
				return recordID(t, r) == ids[0] && payload(t, r)["firstname"] == "Changed"
			}))

			calls := e.srv.Calls()
			is.True(calls["GET "+tt.properties] > 0)
			is.True(calls["GET "+tt.objects]+calls["POST "+tt.objects+"/search"] > 0)
			is.Equal(calls["GET "+tt.account+"/details"], 1) // the account's time zone, at Open
			for key := range calls {
				path := strings.SplitN(key, " ", 2)[1]
				is.True(strings.HasPrefix(path, strings.TrimSuffix(tt.objects, "/contacts")) ||
					strings.HasPrefix(path, strings.TrimSuffix(tt.properties, "/contacts")) ||
					strings.HasPrefix(path, tt.account)) // every call at the version
			}
		})
	}
}

// TestLegacyAfterTheSunset: once HubSpot no longer serves the numbered
// paths, a source of apiVersion legacy fails with one line that names the
// parameter and the value to set, and the default version reads on.
func TestLegacyAfterTheSunset(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithNumberedPathsRetired())
	seed(t, e.srv, "contacts", 2)

	src, err := tryOpen(e, map[string]string{"apiVersion": "legacy"}, nil)
	if err == nil {
		t.Cleanup(func() { _ = src.Teardown(context.Background()) })
		e.tick()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = src.ReadN(ctx, 1)
	}
	is.True(err != nil)
	t.Logf("a legacy user reads: %v", err)
	is.True(!strings.Contains(err.Error(), "\n"))
	is.True(strings.Contains(err.Error(), `set "apiVersion" to "2026-09"`))
	is.True(!strings.Contains(err.Error(), e.srv.Token))

	recs := readCount(t, openSource(t, e, nil, nil), 2)
	is.Equal(len(recs), 2)
}
