package hubspottest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// URL redirects, as HubSpot's CMS URL redirects API v3 documents them:
// https://developers.hubspot.com/docs/api/cms/url-redirects (the guide: list
// with its filters, get, create, update, delete) and
// https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect
// (the object's fields). The API has no batch calls and no search.
//
// What the docs leave open, and this simulator guesses:
//   - a second live redirect with a routePrefix already taken is refused with
//     409 CONFLICT (HubSpot's UI refuses a duplicate; the API's answer is not
//     documented);
//   - the list's limit defaults to 10 and is at most 100, as CRM lists;
//   - sort takes createdAt, updatedAt, routePrefix, destination or id, with a
//     leading "-" for descending; the default is by id;
//   - the after cursor is opaque (here an offset into the sorted list);
//   - deleting a missing or deleted id is a 404; a deleted redirect is listed
//     with archived=true and frees its routePrefix.

const (
	redirectsPath    = "/cms/v3/url-redirects"
	categoryConflict = "CONFLICT"
	redirectFirstID  = 3212223100 // HubSpot's example ids are of this size
)

// Redirect is the simulator's ground truth for one URL redirect.
type Redirect struct {
	ID                      string
	RoutePrefix             string
	Destination             string
	RedirectStyle           int
	IsOnlyAfterNotFound     bool
	IsMatchFullURL          bool
	IsMatchQueryString      bool
	IsPattern               bool
	IsTrailingSlashOptional bool
	IsProtocolAgnostic      bool
	Precedence              int
	Created                 time.Time
	Updated                 time.Time
	Archived                bool
}

type redirectStore struct {
	byID   map[string]*Redirect
	order  []string // ids, in creation order (ascending)
	nextID int64
}

// redirectJSON is a redirect on the wire.
type redirectJSON struct {
	ID                      string `json:"id"`
	RoutePrefix             string `json:"routePrefix"`
	Destination             string `json:"destination"`
	RedirectStyle           int    `json:"redirectStyle"`
	IsOnlyAfterNotFound     bool   `json:"isOnlyAfterNotFound"`
	IsMatchFullURL          bool   `json:"isMatchFullUrl"`
	IsMatchQueryString      bool   `json:"isMatchQueryString"`
	IsPattern               bool   `json:"isPattern"`
	IsTrailingSlashOptional bool   `json:"isTrailingSlashOptional"`
	IsProtocolAgnostic      bool   `json:"isProtocolAgnostic"`
	Precedence              int    `json:"precedence"`
	Created                 string `json:"created"`
	Updated                 string `json:"updated"`
}

// redirectInput is a create or update body: a field left out is not set.
// Other fields (id, created, updated, which the docs' update example
// echoes) are ignored.
type redirectInput struct {
	RoutePrefix             *string `json:"routePrefix"`
	Destination             *string `json:"destination"`
	RedirectStyle           *int    `json:"redirectStyle"`
	IsOnlyAfterNotFound     *bool   `json:"isOnlyAfterNotFound"`
	IsMatchFullURL          *bool   `json:"isMatchFullUrl"`
	IsMatchQueryString      *bool   `json:"isMatchQueryString"`
	IsPattern               *bool   `json:"isPattern"`
	IsTrailingSlashOptional *bool   `json:"isTrailingSlashOptional"`
	IsProtocolAgnostic      *bool   `json:"isProtocolAgnostic"`
	Precedence              *int    `json:"precedence"`
}

func (r *Redirect) json() redirectJSON {
	return redirectJSON{
		ID: r.ID, RoutePrefix: r.RoutePrefix, Destination: r.Destination, RedirectStyle: r.RedirectStyle,
		IsOnlyAfterNotFound: r.IsOnlyAfterNotFound, IsMatchFullURL: r.IsMatchFullURL, IsMatchQueryString: r.IsMatchQueryString,
		IsPattern: r.IsPattern, IsTrailingSlashOptional: r.IsTrailingSlashOptional, IsProtocolAgnostic: r.IsProtocolAgnostic,
		Precedence: r.Precedence, Created: formatTime(r.Created), Updated: formatTime(r.Updated),
	}
}

func (in redirectInput) apply(r *Redirect) {
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	if in.RoutePrefix != nil {
		r.RoutePrefix = *in.RoutePrefix
	}
	if in.Destination != nil {
		r.Destination = *in.Destination
	}
	if in.RedirectStyle != nil {
		r.RedirectStyle = *in.RedirectStyle
	}
	if in.Precedence != nil {
		r.Precedence = *in.Precedence
	}
	set(&r.IsOnlyAfterNotFound, in.IsOnlyAfterNotFound)
	set(&r.IsMatchFullURL, in.IsMatchFullURL)
	set(&r.IsMatchQueryString, in.IsMatchQueryString)
	set(&r.IsPattern, in.IsPattern)
	set(&r.IsTrailingSlashOptional, in.IsTrailingSlashOptional)
	set(&r.IsProtocolAgnostic, in.IsProtocolAgnostic)
}

// validRedirect checks what the create docs require: routePrefix,
// destination and redirectStyle, one of 301 (permanent), 302 (temporary)
// or 305 (proxy).
func validRedirect(r *Redirect) *apiError {
	switch {
	case strings.TrimSpace(r.RoutePrefix) == "":
		return validationError("routePrefix is required", "REQUIRED_FIELD", "routePrefix")
	case strings.TrimSpace(r.Destination) == "":
		return validationError("destination is required", "REQUIRED_FIELD", "destination")
	case r.RedirectStyle != 301 && r.RedirectStyle != 302 && r.RedirectStyle != 305:
		return validationError(fmt.Sprintf("redirectStyle must be 301, 302 or 305, got %d", r.RedirectStyle), "INVALID_VALUE", "redirectStyle")
	}
	return nil
}

// routeTaken is the live redirect other than id that holds routePrefix.
// Callers hold s.mu.
func (s *Server) routeTaken(routePrefix, id string) *Redirect {
	for _, rid := range s.redirects.order {
		r := s.redirects.byID[rid]
		if !r.Archived && r.ID != id && r.RoutePrefix == routePrefix {
			return r
		}
	}
	return nil
}

func routeConflict(taken *Redirect) *apiError {
	return &apiError{status: http.StatusConflict, category: categoryConflict,
		message: fmt.Sprintf("A redirect with routePrefix %q already exists (id %s)", taken.RoutePrefix, taken.ID),
		context: ctxMap("routePrefix", taken.RoutePrefix)}
}

// createRedirectLocked stores a new redirect; callers hold s.mu.
func (s *Server) createRedirectLocked(in redirectInput) (*Redirect, *apiError) {
	r := &Redirect{}
	in.apply(r)
	if e := validRedirect(r); e != nil {
		return nil, e
	}
	if taken := s.routeTaken(r.RoutePrefix, ""); taken != nil {
		return nil, routeConflict(taken)
	}
	if s.redirects.byID == nil {
		s.redirects.byID = map[string]*Redirect{}
		s.redirects.nextID = redirectFirstID
	}
	r.ID = idString(s.redirects.nextID)
	s.redirects.nextID++
	r.Created = s.now()
	r.Updated = r.Created
	s.redirects.byID[r.ID] = r
	s.redirects.order = append(s.redirects.order, r.ID)
	return r, nil
}

// AddRedirect creates a redirect as the API's create does, and returns its
// id; r's ID and times are ignored.
func (s *Server) AddRedirect(r Redirect) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := redirectInput{RoutePrefix: &r.RoutePrefix, Destination: &r.Destination, RedirectStyle: &r.RedirectStyle,
		IsOnlyAfterNotFound: &r.IsOnlyAfterNotFound, IsMatchFullURL: &r.IsMatchFullURL, IsMatchQueryString: &r.IsMatchQueryString,
		IsPattern: &r.IsPattern, IsTrailingSlashOptional: &r.IsTrailingSlashOptional, IsProtocolAgnostic: &r.IsProtocolAgnostic,
		Precedence: &r.Precedence}
	got, e := s.createRedirectLocked(in)
	if e != nil {
		return "", fmt.Errorf("hubspottest: add redirect: %s", e.message)
	}
	return got.ID, nil
}

// Redirects returns every redirect, deleted ones too, in creation order.
func (s *Server) Redirects() []Redirect {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Redirect, 0, len(s.redirects.order))
	for _, id := range s.redirects.order {
		out = append(out, *s.redirects.byID[id])
	}
	return out
}

// LiveRedirects returns the redirects that are not deleted, by routePrefix.
func (s *Server) LiveRedirects() map[string]Redirect {
	out := map[string]Redirect{}
	for _, r := range s.Redirects() {
		if !r.Archived {
			out[r.RoutePrefix] = r
		}
	}
	return out
}

// listRedirects serves GET /cms/v3/url-redirects.
func (s *Server) listRedirects(r *http.Request) (int, any, *apiError) {
	objs := make([]*Redirect, len(s.redirects.order))
	for i, id := range s.redirects.order {
		objs[i] = s.redirects.byID[id]
	}
	return cmsList(r, "URL redirects", objs, map[string]func(a, b *Redirect) int{
		"routePrefix": func(a, b *Redirect) int { return strings.Compare(a.RoutePrefix, b.RoutePrefix) },
		"destination": func(a, b *Redirect) int { return strings.Compare(a.Destination, b.Destination) },
	}, nil, (*Redirect).json)
}

// liveRedirect is the live redirect of the path's id, or a 404.
func (s *Server) liveRedirect(r *http.Request) (*Redirect, *apiError) {
	return cmsLive(s.redirects.byID, r, "URL redirect")
}

// getRedirect serves GET /cms/v3/url-redirects/{id}.
func (s *Server) getRedirect(r *http.Request) (int, any, *apiError) {
	rd, e := s.liveRedirect(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, rd.json(), nil
}

// createRedirect serves POST /cms/v3/url-redirects: 201 and the redirect.
func (s *Server) createRedirect(r *http.Request) (int, any, *apiError) {
	var in redirectInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	rd, e := s.createRedirectLocked(in)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusCreated, rd.json(), nil
}

// updateRedirect serves PATCH /cms/v3/url-redirects/{id}: the fields sent
// change, the others stay.
func (s *Server) updateRedirect(r *http.Request) (int, any, *apiError) {
	rd, e := s.liveRedirect(r)
	if e != nil {
		return 0, nil, e
	}
	var in redirectInput
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	next := *rd
	in.apply(&next)
	if e := validRedirect(&next); e != nil {
		return 0, nil, e
	}
	if taken := s.routeTaken(next.RoutePrefix, rd.ID); taken != nil {
		return 0, nil, routeConflict(taken)
	}
	next.Updated = s.now()
	*rd = next
	return http.StatusOK, rd.json(), nil
}

// deleteRedirect serves DELETE /cms/v3/url-redirects/{id}: 204.
func (s *Server) deleteRedirect(r *http.Request) (int, any, *apiError) {
	rd, e := s.liveRedirect(r)
	if e != nil {
		return 0, nil, e
	}
	rd.Archived = true
	rd.Updated = s.now()
	return http.StatusNoContent, nil, nil
}
