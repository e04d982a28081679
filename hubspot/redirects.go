package hubspot

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// cmsPrefix is the API version prefix of the CMS paths, kept apart from
// crmPrefix: HubSpot moves them to date-versioned paths
// (/cms/url-redirects/2026-03) on their own schedule.
const cmsPrefix = "/cms/v3"

const urlRedirectsPath = cmsPrefix + "/url-redirects"

// URLRedirectsService calls HubSpot's CMS URL redirects API
// (https://developers.hubspot.com/docs/api/cms/url-redirects): list, get,
// create, update and delete, one redirect per call; the API has no batch
// calls and no search.
type URLRedirectsService struct {
	client *Client
}

// URLRedirect is a redirect as HubSpot returns it
// (https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect).
type URLRedirect struct {
	ID string `json:"id"`
	// RoutePrefix is the incoming URL, path or pattern the redirect
	// matches; HubSpot keeps it unique among an account's redirects.
	RoutePrefix string `json:"routePrefix"`
	// Destination is the URL a match goes to.
	Destination string `json:"destination"`
	// RedirectStyle is the HTTP status: 301 (permanent), 302 (temporary)
	// or 305 (proxy).
	RedirectStyle           int  `json:"redirectStyle"`
	IsOnlyAfterNotFound     bool `json:"isOnlyAfterNotFound"`
	IsMatchFullURL          bool `json:"isMatchFullUrl"`
	IsMatchQueryString      bool `json:"isMatchQueryString"`
	IsPattern               bool `json:"isPattern"`
	IsTrailingSlashOptional bool `json:"isTrailingSlashOptional"`
	IsProtocolAgnostic      bool `json:"isProtocolAgnostic"`
	// Precedence orders redirects that match one URL: the lowest wins.
	Precedence int       `json:"precedence"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

// URLRedirectInput is the body of a create or an update: a nil field is
// not sent, so that an update leaves it as it is. A create needs
// RoutePrefix, Destination and RedirectStyle.
type URLRedirectInput struct {
	RoutePrefix             *string `json:"routePrefix,omitempty"`
	Destination             *string `json:"destination,omitempty"`
	RedirectStyle           *int    `json:"redirectStyle,omitempty"`
	IsOnlyAfterNotFound     *bool   `json:"isOnlyAfterNotFound,omitempty"`
	IsMatchFullURL          *bool   `json:"isMatchFullUrl,omitempty"`
	IsMatchQueryString      *bool   `json:"isMatchQueryString,omitempty"`
	IsPattern               *bool   `json:"isPattern,omitempty"`
	IsTrailingSlashOptional *bool   `json:"isTrailingSlashOptional,omitempty"`
	IsProtocolAgnostic      *bool   `json:"isProtocolAgnostic,omitempty"`
	Precedence              *int    `json:"precedence,omitempty"`
}

// Matches reports whether r holds every value in sets.
func (in URLRedirectInput) Matches(r URLRedirect) bool {
	str := func(p *string, v string) bool { return p == nil || *p == v }
	num := func(p *int, v int) bool { return p == nil || *p == v }
	flag := func(p *bool, v bool) bool { return p == nil || *p == v }
	return str(in.RoutePrefix, r.RoutePrefix) && str(in.Destination, r.Destination) &&
		num(in.RedirectStyle, r.RedirectStyle) && num(in.Precedence, r.Precedence) &&
		flag(in.IsOnlyAfterNotFound, r.IsOnlyAfterNotFound) && flag(in.IsMatchFullURL, r.IsMatchFullURL) &&
		flag(in.IsMatchQueryString, r.IsMatchQueryString) && flag(in.IsPattern, r.IsPattern) &&
		flag(in.IsTrailingSlashOptional, r.IsTrailingSlashOptional) && flag(in.IsProtocolAgnostic, r.IsProtocolAgnostic)
}

// URLRedirectListOptions select a page of redirects (CMSListOptions).
type URLRedirectListOptions = CMSListOptions

// URLRedirectPage is one page of redirects.
type URLRedirectPage = CMSPage[URLRedirect]

// List returns one page of redirects.
func (s *URLRedirectsService) List(ctx context.Context, opts URLRedirectListOptions) (*URLRedirectPage, error) {
	page, err := cmsList[URLRedirect](ctx, s.client, urlRedirectsPath, opts)
	if err != nil {
		return nil, fmt.Errorf("list URL redirects: %w", err)
	}
	return page, nil
}

// Get returns one redirect by id; a missing one is a 404 (IsNotFound).
func (s *URLRedirectsService) Get(ctx context.Context, id string) (*URLRedirect, error) {
	r, err := cmsGet[URLRedirect](ctx, s.client, redirectPath(id))
	if err != nil {
		return nil, fmt.Errorf("get URL redirect %s: %w", id, err)
	}
	return r, nil
}

// Create creates a redirect. It is never retried once it may have reached
// HubSpot: a lost answer is the caller's to resolve (FindByRoutePrefix).
func (s *URLRedirectsService) Create(ctx context.Context, in URLRedirectInput) (*URLRedirect, error) {
	r, err := cmsCreate[URLRedirect](ctx, s.client, urlRedirectsPath, in)
	if err != nil {
		return nil, fmt.Errorf("create URL redirect: %w", err)
	}
	return r, nil
}

// Update changes the fields in sets (PATCH), leaving the others.
func (s *URLRedirectsService) Update(ctx context.Context, id string, in URLRedirectInput) (*URLRedirect, error) {
	r, err := cmsUpdate[URLRedirect](ctx, s.client, redirectPath(id), in)
	if err != nil {
		return nil, fmt.Errorf("update URL redirect %s: %w", id, err)
	}
	return r, nil
}

// Delete deletes a redirect (204).
func (s *URLRedirectsService) Delete(ctx context.Context, id string) error {
	if err := cmsDelete(ctx, s.client, redirectPath(id)); err != nil {
		return fmt.Errorf("delete URL redirect %s: %w", id, err)
	}
	return nil
}

// FindByRoutePrefix returns the live redirect of a routePrefix, or nil.
// The list call has no filter on routePrefix, so it reads the redirects
// created at or after since (all of them when since is zero), a page of 100
// per request.
func (s *URLRedirectsService) FindByRoutePrefix(ctx context.Context, routePrefix string, since time.Time) (*URLRedirect, error) {
	found, err := findInList(ctx, s.List, CMSListOptions{}, since, func(r URLRedirect) bool { return r.RoutePrefix == routePrefix })
	if err != nil {
		return nil, fmt.Errorf("find the URL redirect of %q: %w", routePrefix, err)
	}
	return found, nil
}

func redirectPath(id string) string { return urlRedirectsPath + "/" + url.PathEscape(id) }
