package hubspot

import (
	"fmt"
	"net/url"
	"strconv"
)

// Paging is the cursor of a listing; Next is nil on the last page.
type Paging struct {
	Next *NextPage `json:"next,omitempty"`
}

// NextPage holds the cursor to pass back as After.
type NextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// pageQuery is the query of a list call's page: its size (MaxListLimit when
// zero), the cursor, and whether it lists archived objects.
func pageQuery(limit int, after string, archived bool) (url.Values, error) {
	if limit == 0 {
		limit = MaxListLimit
	}
	if limit < 1 || limit > MaxListLimit {
		return nil, fmt.Errorf("limit %d: want 1 to %d", limit, MaxListLimit)
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if after != "" {
		q.Set("after", after)
	}
	if archived {
		q.Set("archived", "true")
	}
	return q, nil
}

// nextAfter is a page's cursor to the next one, "" on the last page.
func nextAfter(p *Paging) string {
	if p == nil || p.Next == nil {
		return ""
	}
	return p.Next.After
}
