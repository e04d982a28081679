package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// handlerFunc serves one endpoint under the server's lock: it returns the
// status and body of a success, or an error answer.
type handlerFunc func(r *http.Request) (int, any, *apiError)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(f apiFamily) versionedMux { return versionedMux{mux: mux, s: s, family: f} }
	// The date versions of each API in the spec collection: 2025-09 (the
	// beta, still served), 2026-03 and 2026-09; pages and HubDB have
	// 2026-03 alone (CMS/Pages/Rollouts/59888, CMS/Hubdb/Rollouts/243927).
	dates, only03 := []string{"2025-09", "2026-03", "2026-09"}, []string{"2026-03"}

	objects := api(apiFamily{"/crm/v3/objects", "/crm/objects/{v}", dates})
	objects.handle("GET", "/{type}", false, s.list)
	objects.handle("POST", "/{type}", false, s.create)
	objects.handle("GET", "/{type}/{id}", false, s.get)
	objects.handle("PATCH", "/{type}/{id}", false, s.update)
	objects.handle("DELETE", "/{type}/{id}", false, s.archive)
	objects.handle("POST", "/{type}/search", true, s.search)
	objects.handle("POST", "/{type}/merge", false, s.merge)
	objects.handle("POST", "/{type}/batch/{op}", false, s.batch)
	properties := api(apiFamily{"/crm/v3/properties", "/crm/properties/{v}", dates})
	properties.handle("GET", "/{type}", false, s.properties)
	properties.handle("POST", "/{type}", false, s.createProperty)
	properties.handle("GET", "/{type}/{name}", false, s.getProperty)
	properties.handle("DELETE", "/{type}/{name}", false, s.archiveProperty)
	s.validationRoutes(api(apiFamily{"/crm/v3/property-validations", "/crm/property-validations/{v}", dates}))
	api(apiFamily{"/crm-object-schemas/v3/schemas", "/crm-object-schemas/{v}/schemas", dates}).
		handle("GET", "", false, s.listSchemas)
	s.associationRoutes(api(apiFamily{"/crm/v4/associations", "/crm/associations/{v}", dates}))
	owners := api(apiFamily{"/crm/v3/owners", "/crm/owners/{v}", dates})
	owners.handle("GET", "", false, s.listOwners)
	owners.handle("GET", "/{$}", false, s.listOwners)
	owners.handle("GET", "/{id}", false, s.getOwner)
	cms := map[string]versionedMux{
		"blogs":         api(apiFamily{"/cms/v3/blogs", "/cms/blogs/{v}", dates}),
		"url-redirects": api(apiFamily{"/cms/v3/url-redirects", "/cms/url-redirects/{v}", dates}),
		"pages":         api(apiFamily{"/cms/v3/pages", "/cms/pages/{v}", only03}),
	}
	for _, k := range cmsKinds() {
		h := docHandlers{s: s, typ: k.typ}
		m := cms[k.api]
		for _, p := range []string{k.path, k.path + "/{$}"} {
			m.handle("GET", p, false, h.list)
			m.handle("POST", p, false, h.create)
		}
		m.handle("GET", k.path+"/{id}", false, h.get)
		m.handle("PATCH", k.path+"/{id}", false, h.update)
		m.handle("DELETE", k.path+"/{id}", false, h.delete)
		if k.batch {
			m.handle("POST", k.path+"/batch/{op}", false, h.batch)
		}
	}
	hubdb := api(apiFamily{"/cms/v3/hubdb", "/cms/hubdb/{v}", only03})
	for _, p := range []string{"/tables", "/tables/{$}"} {
		hubdb.handle("GET", p, false, s.listHubDBTables(false))
		hubdb.handle("POST", p, false, s.createHubDBTable)
	}
	hubdb.handle("GET", "/tables/draft", false, s.listHubDBTables(true))
	hubdb.handle("GET", "/tables/{table}", false, s.getHubDBTable(false))
	hubdb.handle("GET", "/tables/{table}/draft", false, s.getHubDBTable(true))
	hubdb.handle("PATCH", "/tables/{table}/draft", false, s.updateHubDBTable)
	hubdb.handle("POST", "/tables/{table}/draft/publish", false, s.publishHubDBTable)
	hubdb.handle("DELETE", "/tables/{table}", false, s.deleteHubDBTable)
	s.pipelineRoutes(api(apiFamily{"/crm/v3/pipelines", "/crm/pipelines/{v}", dates}))
	s.listRoutes(api(apiFamily{"/crm/v3/lists", "/crm/lists/{v}", dates}))
	api(apiFamily{"/account-info/v3", "/account-info/{v}", dates}).
		handle("GET", "/details", false, s.needsScope(scopeBasic, s.accountDetails))
	mux.Handle("POST "+tokenPath, &endpoint{s: s, token: s.exchangeToken})
	mux.Handle("/", &endpoint{s: s, h: func(r *http.Request) (int, any, *apiError) {
		return 0, nil, notFound(fmt.Sprintf("No route for %s %s", r.Method, r.URL.Path))
	}})
	return mux
}

// nextPage is a list page's paging: the cursor, and a link to the next
// page, this request's URL with after moved on. The link takes the scheme
// and host the request came in by, as HubSpot's links name its own, so that
// it holds wherever the handler is mounted (Handler).
func nextPage(r *http.Request, after string) *pagingJSON {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := r.URL.Query()
	q.Set("after", after)
	return &pagingJSON{Next: nextJSON{After: after, Link: scheme + "://" + r.Host + r.URL.Path + "?" + q.Encode()}}
}

// maxURLLength is the longest URL HubSpot serves: it answers 414 to URLs
// longer than about 15,000 characters (docs/hubspot.md, "Errors"; 414 "The request URI is too long" in
// https://developers.hubspot.com/docs/api-reference/error-handling). The
// length counts the URL as a client sends it to HubSpot's host, scheme
// included.
const maxURLLength = 15000

// hubspotHost is what a URL to HubSpot starts with, for the URL length.
const hubspotHost = "https://api.hubapi.com"

// endpoint runs what every request goes through: counting, the URL length,
// injected faults, authentication, rate limits, then the handler.
type endpoint struct {
	s      *Server
	search bool
	h      handlerFunc
	// token, when set, serves the OAuth token endpoint instead of h: it
	// takes no bearer token, counts against no API limit and answers in
	// its own error shape.
	token http.HandlerFunc
	// version is the API version of the path h serves at: a date, or
	// numbered ("legacy"); "" for a path outside the versioned APIs.
	version string
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := e.s
	s.mu.Lock()
	s.calls[callKey(r)]++
	if n := len(hubspotHost) + len(r.RequestURI); n > maxURLLength {
		// Refused in front of the API: no fault, token or rate limit is
		// looked at.
		s.writeError(w, &apiError{status: http.StatusRequestURITooLong,
			message: fmt.Sprintf("The request URI is too long: %d characters, at most %d", n, maxURLLength)})
		s.mu.Unlock()
		return
	}
	fault := s.takeFault(r)
	s.mu.Unlock()

	if fault == nil {
		e.serve(w, r)
		return
	}
	e.serveFault(w, r, fault)
}

// serve answers the request as HubSpot would.
func (e *endpoint) serve(w http.ResponseWriter, r *http.Request) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.token != nil {
		e.token(w, r)
		return
	}
	if e.version == numbered && s.numberedRetired {
		s.writeError(w, retiredAnswer(r))
		return
	}
	app, apiErr := s.authenticate(r)
	if apiErr != nil {
		s.writeError(w, apiErr)
		return
	}
	headers, limited := s.admit(e.search, app, bearer(r))
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	if limited != nil {
		s.refused++
		limited.CorrelationID = s.correlationID()
		writeJSON(w, http.StatusTooManyRequests, limited)
		return
	}
	status, body, apiErr := e.h(withVersion(r, e.version))
	if apiErr != nil {
		s.writeError(w, apiErr)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	s.answer = writeJSONIn(s.answer[:0], w, status, body)
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, errorBody{
		Status: "error", Message: e.message, CorrelationID: s.correlationID(),
		Category: e.category, Context: e.context, Errors: e.errors,
	})
}

// authenticate checks the bearer token: the private app's, or an OAuth
// app's access token, whose app it returns (nil for the private app), so
// that the request counts against that app's limit.
func (s *Server) authenticate(r *http.Request) (*oauthApp, *apiError) {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	switch {
	case auth == "":
		return nil, &apiError{status: http.StatusUnauthorized, category: categoryAuth,
			message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"}
	case ok && token == s.Token:
		return nil, nil
	case ok:
		return s.oauthAuthenticate(token)
	}
	return nil, &apiError{status: http.StatusUnauthorized, category: categoryAuth,
		message: "The OAuth token used to make this call is not valid or has expired."}
}

// bearer is the request's bearer token, "" without one.
func bearer(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token
}

// decodeBody reads a JSON request body into v.
func decodeBody(r *http.Request, v any) *apiError {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return badRequest("Could not read the request body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return badRequest(fmt.Sprintf("Invalid input JSON: %v", err))
	}
	return nil
}

// queryList reads a list parameter given as a=x,y or a=x&a=y.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// queryArchived reads the archived parameter.
func queryArchived(r *http.Request) (bool, *apiError) {
	v := r.URL.Query().Get("archived")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest(fmt.Sprintf("archived must be true or false, got %q", v))
	}
	return b, nil
}

// queryLimit reads the page size: HubSpot's default when absent, a 400
// above the maximum.
func queryLimit(r *http.Request, def, maxLimit int) (int, *apiError) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, badRequest(fmt.Sprintf("limit must be a number from 1 to %d, got %q", maxLimit, v))
	}
	return n, nil
}

// pageParams reads the limit, after and archived parameters of a list.
func pageParams(r *http.Request, def, maxLimit int) (int, int64, bool, *apiError) {
	limit, e := queryLimit(r, def, maxLimit)
	if e != nil {
		return 0, 0, false, e
	}
	after, e := queryAfter(r)
	if e != nil {
		return 0, 0, false, e
	}
	archived, e := queryArchived(r)
	if e != nil {
		return 0, 0, false, e
	}
	return limit, after, archived, nil
}

func queryAfter(r *http.Request) (int64, *apiError) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest(fmt.Sprintf("after must be a cursor returned by a previous page, got %q", v))
	}
	return n, nil
}
