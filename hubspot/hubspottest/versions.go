package hubspottest

import (
	"net/http"
	"strings"
)

// HubSpot serves each API at its numbered path (/crm/v3/objects) and at
// each date version it has released (/crm/objects/2026-09), with the same
// calls and bodies (https://developers.hubspot.com/docs/api-reference/latest/overview;
// the specs side by side in github.com/HubSpot/HubSpot-public-api-spec-collection,
// PublicApiSpecs/<area>/<api>/Rollouts/<n>/<version>/). The simulator
// serves every family from the same handlers.

// numbered is the version of every numbered path.
const numbered = "legacy"

// apiFamily is one API's paths: its numbered prefix, and its prefix at a
// date version, with {v} where the date goes, served at the dates the
// spec collection holds for it.
type apiFamily struct {
	numbered string
	dated    string
	dates    []string
}

func (f apiFamily) prefixes() map[string]string {
	out := map[string]string{numbered: f.numbered}
	for _, d := range f.dates {
		out[d] = strings.Replace(f.dated, "{v}", d, 1)
	}
	return out
}

// versionedMux registers a handler under each of an API family's prefixes.
type versionedMux struct {
	mux    *http.ServeMux
	s      *Server
	family apiFamily
}

// handle registers "METHOD rest" (rest after the API's prefix, "" or
// starting with "/") at every version of the family.
func (m versionedMux) handle(method, rest string, search bool, h handlerFunc) {
	for version, prefix := range m.family.prefixes() {
		m.mux.Handle(method+" "+prefix+rest, &endpoint{s: m.s, search: search, h: h, version: version})
	}
}

// retiredAnswer is what a numbered path answers once HubSpot no longer
// serves it (WithNumberedPathsRetired). HubSpot documents the dates
// (v4 on 30 March 2027, v1 to v3 in September 2027:
// https://developers.hubspot.com/changelog/legacy-apis-and-legacy-apps-whats-going-unsupported-and-when)
// but not the answer; 410 Gone with a standard error body is a guess.
func retiredAnswer(r *http.Request) *apiError {
	return &apiError{status: http.StatusGone, category: "VERSION_UNSUPPORTED",
		message: "API version of " + r.URL.Path + " is no longer supported; use a date-based version such as /2026-09/"}
}
