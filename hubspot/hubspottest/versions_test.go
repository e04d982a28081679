package hubspottest_test

import (
	"net/http"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestBothPathFamilies: an object written at a numbered path reads at each
// date version and back, since one store serves them all; APIs without a
// version (pages and HubDB at 2026-09) have no route there.
func TestBothPathFamilies(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	created := call(t, srv, http.MethodPost, "/crm/v3/objects/contacts", `{"properties":{"email":"a@example.com"}}`)
	is.Equal(created.status, http.StatusCreated)
	id := created.json(t)["id"].(string)
	for _, path := range []string{"/crm/objects/2025-09/contacts/", "/crm/objects/2026-03/contacts/", "/crm/objects/2026-09/contacts/", "/crm/v3/objects/contacts/"} {
		got := call(t, srv, http.MethodGet, path+id+"?properties=email", "")
		is.Equal(got.status, http.StatusOK)
		is.Equal(got.json(t)["properties"].(map[string]any)["email"], "a@example.com")
	}
	for path, want := range map[string]int{
		"/crm/properties/2026-09/contacts":                http.StatusOK,
		"/crm/associations/2026-09/deals/contacts/labels": http.StatusOK,
		"/crm/owners/2026-09":                             http.StatusOK,
		"/crm-object-schemas/2026-09/schemas":             http.StatusOK,
		"/cms/blogs/2026-09/posts":                        http.StatusOK,
		"/cms/url-redirects/2026-09":                      http.StatusOK,
		"/cms/pages/2026-03/site-pages":                   http.StatusOK,
		"/cms/hubdb/2026-03/tables":                       http.StatusOK,
		"/cms/pages/2026-09/site-pages":                   http.StatusNotFound, // no 2026-09 in the spec collection
		"/cms/hubdb/2026-09/tables":                       http.StatusNotFound,
		"/crm/objects/2027-03/contacts":                   http.StatusNotFound, // no such version yet
	} {
		is.Equal(call(t, srv, http.MethodGet, path, "").status, want) // GET path
	}
}

// TestNumberedPathsRetired: with the option, every numbered path answers
// 410 and the date versions serve on.
func TestNumberedPathsRetired(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits(), hubspottest.WithNumberedPathsRetired())
	for _, path := range []string{"/crm/v3/objects/contacts", "/crm/v4/associations/deals/contacts/labels", "/crm/v3/owners", "/cms/v3/blogs/posts", "/cms/v3/hubdb/tables"} {
		got := call(t, srv, http.MethodGet, path, "")
		is.Equal(got.status, http.StatusGone) // GET path
		is.Equal(got.json(t)["status"], "error")
	}
	is.Equal(call(t, srv, http.MethodGet, "/crm/objects/2026-09/contacts", "").status, http.StatusOK)
}
