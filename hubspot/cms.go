package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// CMSListOptions select a page of a CMS list call; the zero times are no
// filter. The filters are the ones HubSpot documents for every CMS list:
// created or updated after, at or before an instant
// (https://developers.hubspot.com/docs/api/cms/url-redirects,
// https://developers.hubspot.com/docs/api/cms/blog-tags,
// https://developers.hubspot.com/docs/api/cms/blog-post).
type CMSListOptions struct {
	// Limit is the page size, 1 to 100; 0 means 100.
	Limit    int
	After    string
	Archived bool
	// Sort names fields to order by, such as "updatedAt" or "-createdAt"
	// (descending).
	Sort []string

	CreatedAfter, CreatedAt, CreatedBefore time.Time
	UpdatedAfter, UpdatedAt, UpdatedBefore time.Time

	// Filters are property filters in HubSpot's name__op=value form
	// ("name__eq"), where the resource documents them (blog tags).
	Filters url.Values
}

// CMSPage is one page of a CMS list call.
type CMSPage[T any] struct {
	Total   int     `json:"total"`
	Results []T     `json:"results"`
	Paging  *Paging `json:"paging,omitempty"`
}

// NextAfter is the cursor of the next page, "" on the last.
func (p *CMSPage[T]) NextAfter() string { return nextAfter(p.Paging) }

func (o CMSListOptions) query() (url.Values, error) {
	q, err := pageQuery(o.Limit, o.After, o.Archived)
	if err != nil {
		return nil, err
	}
	for name, t := range map[string]time.Time{
		"createdAfter": o.CreatedAfter, "createdAt": o.CreatedAt, "createdBefore": o.CreatedBefore,
		"updatedAfter": o.UpdatedAfter, "updatedAt": o.UpdatedAt, "updatedBefore": o.UpdatedBefore,
	} {
		if !t.IsZero() {
			q.Set(name, t.UTC().Format(time.RFC3339Nano))
		}
	}
	for _, s := range o.Sort {
		q.Add("sort", s)
	}
	for name, vs := range o.Filters {
		for _, v := range vs {
			q.Add(name, v)
		}
	}
	return q, nil
}

// findInList returns the first live object of a CMS list that match
// accepts, or nil: it reads, with opts' filters, the objects created at or
// after since (all of them when since is zero), a page of 100 per request.
func findInList[T any](ctx context.Context, list func(context.Context, CMSListOptions) (*CMSPage[T], error),
	opts CMSListOptions, since time.Time, match func(T) bool,
) (*T, error) {
	opts.Limit = MaxListLimit
	if !since.IsZero() {
		opts.CreatedAfter = since.Add(-time.Millisecond) // after is exclusive
	}
	for {
		page, err := list(ctx, opts)
		if err != nil {
			return nil, err
		}
		for i := range page.Results {
			if match(page.Results[i]) {
				return &page.Results[i], nil
			}
		}
		if opts.After = page.NextAfter(); opts.After == "" {
			return nil, nil
		}
	}
}

// cmsCreate posts a create to a CMS path. It is never retried once it may
// have reached HubSpot: a lost answer is the caller's to resolve, by the
// resource's natural key.
func cmsCreate[T any](ctx context.Context, c *Client, path string, in any) (*T, error) {
	req, err := NewRequest(http.MethodPost, path, nil, in)
	if err != nil {
		return nil, err
	}
	req.Create = true
	var out T
	if err := c.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// cmsUpdate patches a CMS object: the fields sent change, the others stay.
func cmsUpdate[T any](ctx context.Context, c *Client, path string, in any) (*T, error) {
	req, err := NewRequest(http.MethodPatch, path, nil, in)
	if err != nil {
		return nil, err
	}
	var out T
	if err := c.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// cmsDelete deletes (archives) a CMS object (204).
func cmsDelete(ctx context.Context, c *Client, path string) error {
	req, err := NewRequest(http.MethodDelete, path, nil, nil)
	if err != nil {
		return err
	}
	return c.Do(ctx, req, nil)
}

// cmsList reads one page of a CMS list call.
func cmsList[T any](ctx context.Context, c *Client, path string, opts CMSListOptions) (*CMSPage[T], error) {
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	var page CMSPage[T]
	if err := c.get(ctx, path, q, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// cmsGet reads one CMS object; a missing one is a 404 (IsNotFound).
func cmsGet[T any](ctx context.Context, c *Client, path string) (*T, error) {
	var out T
	if err := c.get(ctx, path, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
