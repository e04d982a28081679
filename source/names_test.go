package source_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
	"github.com/matryer/is"
)

// TestOpenChecksTypedNames: a name a user types that HubSpot does not
// define fails Open, naming the parameter and the name with the names
// meant; read as is, a misspelled property would be a field always null.
func TestOpenChecksTypedNames(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]string
		want     string // in Open's error; "": Open succeeds
	}{
		{name: "properties, one typo", settings: map[string]string{"properties": "email,firstnme"},
			want: `"properties": contacts has no property "firstnme" (did you mean "firstname"?)`},
		{name: "properties, case", settings: map[string]string{"properties": "Email"},
			want: `"properties": contacts has no property "Email" (did you mean "email"?)`},
		{name: "properties, transposed", settings: map[string]string{"properties": "lastnmae"},
			want: `"properties": contacts has no property "lastnmae" (did you mean "lastname"?)`},
		{name: "properties, nothing near", settings: map[string]string{"properties": "email,zzzzzzzz"},
			want: `"properties": contacts has no property "zzzzzzzz"`},
		{name: "extraProperties", settings: map[string]string{"extraProperties": "phonee"},
			want: `"extraProperties": contacts has no property "phonee" (did you mean "phone"?)`},
		{name: "several resources, qualified", settings: map[string]string{"resource": "", "resources": "contacts,deals", "properties": "contacts.email,deals.amuont"},
			want: `"properties": deals has no property "amuont" (did you mean "amount"?)`},
		{name: "associations", settings: map[string]string{"associations": "compnies"},
			want: `"associations": unknown resource "compnies" (did you mean "companies"?)`},
		{name: "properties, all known", settings: map[string]string{"properties": "email, firstname"}},
		{name: "extraProperties, all known", settings: map[string]string{"extraProperties": "phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			src, err := tryOpen(e, tt.settings, nil)
			if src != nil {
				t.Cleanup(func() { _ = src.Teardown(context.Background()) })
			}
			if tt.want == "" {
				is.NoErr(err)
				return
			}
			is.True(err != nil) // Open accepted a name HubSpot does not define
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open: %v\nwant it to hold %s", err, tt.want)
			}
		})
	}
}

// TestOpenWarnsWhenNamesCannotBeChecked: a token that may not list the
// properties (403) reads what it is told, as before, and the log says once
// that the names were not checked.
func TestOpenWarnsWhenNamesCannotBeChecked(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	e.srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/properties/2026-09/contacts", Times: 1000, Kind: hubspottest.FaultStatus, Status: http.StatusForbidden})
	var log syncbuf.Buffer
	src, err := tryOpenCtx(e.logTo(&log).readCtx(), e, map[string]string{"properties": "email,firstnme"}, nil)
	is.NoErr(err)
	t.Cleanup(func() { _ = src.Teardown(context.Background()) })
	is.Equal(strings.Count(log.String(), `the names in \"properties\" are not checked: the token may not list the properties of contacts`), 1)
}
