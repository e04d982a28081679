package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ListsService calls the lists API (/crm/lists/{version}): list definitions
// and their members. The calls and bodies are those of the spec collection's
// PublicApiSpecs/CRM/Lists/Rollouts/144891/<version>/lists.json (v3, 2026-03
// and 2026-09 alike); the v3 file alone has descriptions, cited below.
type ListsService struct {
	client *Client
}

// The limits of the lists API's pages.
const (
	// MaxListSearchCount is the most lists one search page returns: "The
	// max `count` is `500`" (ListSearchRequest.count).
	MaxListSearchCount = 500
	// MaxMembershipPage is the most members one memberships page returns:
	// "The maximum `limit` is 250" (v3 spec, GET .../{listId}/memberships,
	// and the join-order call alike; the default is 100).
	MaxMembershipPage = 250
)

// The list properties every search answer carries by default
// (ListSearchRequest.additionalProperties: "By default, all requests will
// fetch the following properties for each list: hs_list_size,
// hs_last_record_added_at, hs_last_record_removed_at, hs_folder_name, and
// hs_list_reference_count").
const (
	ListPropSize          = "hs_list_size"
	ListPropLastAddedAt   = "hs_last_record_added_at"
	ListPropLastRemovedAt = "hs_last_record_removed_at"
)

// The processing types of a list (ListCreateRequest.processingType).
const (
	ListManual   = "MANUAL"
	ListSnapshot = "SNAPSHOT"
	ListDynamic  = "DYNAMIC"
)

// List is a list definition as a search or a read returns it (the spec's
// PublicObjectListSearchResult and PublicObjectList). AdditionalProperties
// are strings, as the spec types them; a search's carry the default list
// properties above.
type List struct {
	ListID               string            `json:"listId"`
	ListVersion          int               `json:"listVersion"`
	Name                 string            `json:"name"`
	ObjectTypeID         string            `json:"objectTypeId"`
	ProcessingType       string            `json:"processingType"`
	ProcessingStatus     string            `json:"processingStatus"`
	CreatedAt            *time.Time        `json:"createdAt,omitempty"`
	UpdatedAt            *time.Time        `json:"updatedAt,omitempty"`
	DeletedAt            *time.Time        `json:"deletedAt,omitempty"`
	FiltersUpdatedAt     *time.Time        `json:"filtersUpdatedAt,omitempty"`
	Size                 *int64            `json:"size,omitempty"`
	AdditionalProperties map[string]string `json:"additionalProperties,omitempty"`
}

// ListSearchRequest is a page of the lists search (the spec's
// ListSearchRequest). Offset and Count page; the spec marks
// additionalProperties, listIds, offset and processingTypes required, so
// they are sent even when empty.
type ListSearchRequest struct {
	Query                string   `json:"query,omitempty"`
	Offset               int      `json:"offset"`
	Count                int      `json:"count,omitempty"`
	ListIDs              []string `json:"listIds"`
	ProcessingTypes      []string `json:"processingTypes"`
	AdditionalProperties []string `json:"additionalProperties"`
}

// ListSearchPage is a page of the lists search (ListSearchResponse):
// Offset is the next page's.
type ListSearchPage struct {
	Lists   []List `json:"lists"`
	HasMore bool   `json:"hasMore"`
	Offset  int    `json:"offset"`
	Total   int    `json:"total"`
}

// ListMember is a member of a list (the spec's JoinTimeAndRecordId):
// MembershipTimestamp is "the date and time when the record was added to
// the list".
type ListMember struct {
	RecordID            string    `json:"recordId"`
	MembershipTimestamp time.Time `json:"membershipTimestamp"`
}

// MemberPage is a page of a list's members; After is the next page's
// cursor, "" on the last page.
type MemberPage struct {
	Members []ListMember
	After   string
}

type memberPageJSON struct {
	Results []ListMember `json:"results"`
	Paging  *Paging      `json:"paging"`
}

// Search reads one page of the lists search.
func (s *ListsService) Search(ctx context.Context, in ListSearchRequest) (*ListSearchPage, error) {
	if in.ListIDs == nil {
		in.ListIDs = []string{}
	}
	if in.ProcessingTypes == nil {
		in.ProcessingTypes = []string{}
	}
	if in.AdditionalProperties == nil {
		in.AdditionalProperties = []string{}
	}
	req, err := NewRequest(http.MethodPost, s.client.path(APILists, "search"), nil, in)
	if err != nil {
		return nil, err
	}
	var out ListSearchPage
	if err := s.client.Do(ctx, req, &out); err != nil {
		return nil, fmt.Errorf("search the lists (offset %d): %w", in.Offset, err)
	}
	return &out, nil
}

type listJSON struct {
	List List `json:"list"`
}

// Get reads one list (GET /crm/lists/{version}/{listId}).
func (s *ListsService) Get(ctx context.Context, listID string) (*List, error) {
	var out listJSON
	if err := s.client.get(ctx, s.client.path(APILists, listID), nil, &out); err != nil {
		return nil, fmt.Errorf("read list %s: %w", listID, err)
	}
	return &out.List, nil
}

// Members reads a page of a list's members in ascending record id order
// (v3 spec, "Fetch List Memberships Ordered by ID").
func (s *ListsService) Members(ctx context.Context, listID, after string, limit int) (*MemberPage, error) {
	return s.members(ctx, listID, after, limit, "memberships")
}

// JoinOrder reads a page of a list's members in the order they were added
// (v3 spec, "Fetch List Memberships Ordered by Added to List Date").
func (s *ListsService) JoinOrder(ctx context.Context, listID, after string, limit int) (*MemberPage, error) {
	return s.members(ctx, listID, after, limit, "memberships", "join-order")
}

func (s *ListsService) members(ctx context.Context, listID, after string, limit int, parts ...string) (*MemberPage, error) {
	if limit <= 0 || limit > MaxMembershipPage {
		limit = MaxMembershipPage
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if after != "" {
		q.Set("after", after)
	}
	var out memberPageJSON
	if err := s.client.get(ctx, s.client.path(APILists, append([]string{listID}, parts...)...), q, &out); err != nil {
		return nil, fmt.Errorf("read the members of list %s: %w", listID, err)
	}
	return &MemberPage{Members: out.Results, After: nextAfter(out.Paging)}, nil
}
