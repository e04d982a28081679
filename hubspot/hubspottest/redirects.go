package hubspottest

import (
	"fmt"
	"time"
)

// URL redirects, as HubSpot's CMS URL redirects API v3 documents them:
// https://developers.hubspot.com/docs/api/cms/url-redirects (the guide: list
// with its filters, get, create, update, delete) and
// https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect
// (the object's fields). The API has no batch calls, no search and no
// property filters. They are served by the document store (cmsdocs.go);
// this file gives its row and the redirects as a type for tests.
//
// What the docs leave open, and this simulator guesses:
//   - a second live redirect with a routePrefix already taken is refused with
//     409 CONFLICT (HubSpot's UI refuses a duplicate; the API's answer is not
//     documented);
//   - the list's limit defaults to 10 and is at most 100, as CRM lists;
//   - the API documents no sort key: results come in creation order
//     (cmssort.go; WithCMSSort(CMSSortAnyField): by createdAt, updatedAt,
//     routePrefix, destination or id, by id without a sort);
//   - the after cursor is opaque (here an offset into the sorted list);
//   - a redirect has no deletion time: a deleted one is listed with
//     archived=true, its updated time as it was (WithArchiveMovesUpdated: the
//     time of its delete), and frees its routePrefix.

// WithRedirectTimesAt names a URL redirect's times createdAt and updatedAt,
// as the example answer of HubSpot's v3 reference does
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect),
// in place of the spec's created and updated (UrlMapping in
// PublicApiSpecs/CMS/Url Redirects of HubSpot's spec collection): the
// sources disagree, and a client must read either.
func WithRedirectTimesAt() Option { return func(c *config) { c.redirectTimesAt = true } }

const (
	categoryConflict = "CONFLICT"
	redirectFirstID  = 3212223100 // HubSpot's example ids are of this size
)

// redirectKind is the redirects' row of the document store: the create
// docs require routePrefix, destination and redirectStyle, one of 301
// (permanent), 302 (temporary) or 305 (proxy); the flags are false and the
// precedence 0 unless sent.
func redirectKind() cmsKind {
	return cmsKind{typ: URLRedirects, api: "url-redirects", path: "", noun: "URL redirect", firstID: redirectFirstID,
		required: []string{"routePrefix", "destination"}, unique: []string{"routePrefix"}, filters: []string{},
		defaults: map[string]any{"isOnlyAfterNotFound": false, "isMatchFullUrl": false, "isMatchQueryString": false,
			"isPattern": false, "isTrailingSlashOptional": false, "isProtocolAgnostic": false, "precedence": 0.0},
		validate: func(d *CMSDoc) *apiError {
			switch style, _ := d.Fields["redirectStyle"].(float64); style {
			case 301, 302, 305:
				return nil
			}
			return validationError(fmt.Sprintf("redirectStyle must be 301, 302 or 305, got %v", d.Fields["redirectStyle"]),
				"INVALID_VALUE", "redirectStyle")
		},
	}
}

// Redirect is a URL redirect as tests see it.
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
	// Deleted is when it was deleted, zero while live: ground truth, not
	// on the wire (a redirect has no deletion time).
	Deleted  time.Time
	Archived bool
}

// AddRedirect creates a redirect as the API's create does, and returns its
// id; r's ID and times are ignored.
func (s *Server) AddRedirect(r Redirect) (string, error) {
	id, err := s.AddCMS(URLRedirects, map[string]any{
		"routePrefix": r.RoutePrefix, "destination": r.Destination, "redirectStyle": r.RedirectStyle,
		"isOnlyAfterNotFound": r.IsOnlyAfterNotFound, "isMatchFullUrl": r.IsMatchFullURL, "isMatchQueryString": r.IsMatchQueryString,
		"isPattern": r.IsPattern, "isTrailingSlashOptional": r.IsTrailingSlashOptional, "isProtocolAgnostic": r.IsProtocolAgnostic,
		"precedence": r.Precedence,
	})
	if err != nil {
		return "", fmt.Errorf("add redirect: %w", err)
	}
	return id, nil
}

// Redirects returns every redirect, deleted ones too, in creation order.
func (s *Server) Redirects() []Redirect {
	docs := s.CMSDocs(URLRedirects)
	out := make([]Redirect, len(docs))
	for i, d := range docs {
		flag := func(name string) bool { b, _ := d.Fields[name].(bool); return b }
		num := func(name string) int { n, _ := d.Fields[name].(float64); return int(n) }
		out[i] = Redirect{ID: d.ID, RoutePrefix: d.Text("routePrefix"), Destination: d.Text("destination"),
			RedirectStyle: num("redirectStyle"), IsOnlyAfterNotFound: flag("isOnlyAfterNotFound"),
			IsMatchFullURL: flag("isMatchFullUrl"), IsMatchQueryString: flag("isMatchQueryString"), IsPattern: flag("isPattern"),
			IsTrailingSlashOptional: flag("isTrailingSlashOptional"), IsProtocolAgnostic: flag("isProtocolAgnostic"),
			Precedence: num("precedence"), Created: d.Created, Updated: d.Updated, Deleted: d.Deleted, Archived: d.Archived}
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
