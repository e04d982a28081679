package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The lists API (/crm/lists/{version}), from the spec collection's
// PublicApiSpecs/CRM/Lists/Rollouts/144891/<version>/lists.json (v3,
// 2026-03 and 2026-09 have the same calls and bodies; only the v3 file has
// descriptions, quoted below). A list is a definition (name, object type,
// processing type) and its members, each with the time it was added.
// MANUAL and SNAPSHOT lists change only by the add and remove calls;
// DYNAMIC lists change as HubSpot processes their filters, which the
// simulator does not model: tests move their members with AddListMembers
// and RemoveListMembers.

// listStore is the account's lists by id.
type listStore struct {
	byID   map[string]*simList
	nextID int64
	// searchDeleted makes the search list deleted lists too, with
	// deletedAt (WithDeletedListsInSearch).
	searchDeleted bool
}

type simList struct {
	ID, Name, ObjectTypeID, ProcessingType string
	Version                                int
	CreatedAt, UpdatedAt                   time.Time
	DeletedAt                              *time.Time
	// members are the record ids, each with the time it was added.
	members                map[string]time.Time
	lastAdded, lastRemoved time.Time
}

// WithDeletedListsInSearch makes the lists search answer deleted lists
// too, with deletedAt set. Neither the spec nor the lists guide says
// whether it does (ListSearchRequest has no filter for it, and
// PublicObjectListSearchResult carries deletedAt): by default deleted
// lists are left out (a guess), and this option models the other reading.
func WithDeletedListsInSearch() Option {
	return func(c *config) { c.deletedListsInSearch = true }
}

func newListStore(searchDeleted bool) *listStore {
	return &listStore{byID: map[string]*simList{}, nextID: 100, searchDeleted: searchDeleted}
}

// listJSON is PublicObjectList and PublicObjectListSearchResult (the
// search's has additionalProperties, the read's size).
type listJSON struct {
	ListID               string            `json:"listId"`
	ListVersion          int               `json:"listVersion"`
	Name                 string            `json:"name"`
	ObjectTypeID         string            `json:"objectTypeId"`
	ProcessingType       string            `json:"processingType"`
	ProcessingStatus     string            `json:"processingStatus"`
	CreatedAt            string            `json:"createdAt"`
	UpdatedAt            string            `json:"updatedAt"`
	FiltersUpdatedAt     string            `json:"filtersUpdatedAt"`
	DeletedAt            string            `json:"deletedAt,omitempty"`
	Size                 *int              `json:"size,omitempty"`
	AdditionalProperties map[string]string `json:"additionalProperties,omitempty"`
}

// json is the list on the wire. The processing status is "COMPLETE" (a
// guess at the value: the spec names the field, not its values).
func (l *simList) json() listJSON {
	out := listJSON{ListID: l.ID, ListVersion: l.Version, Name: l.Name, ObjectTypeID: l.ObjectTypeID,
		ProcessingType: l.ProcessingType, ProcessingStatus: "COMPLETE",
		CreatedAt: formatTime(l.CreatedAt), UpdatedAt: formatTime(l.UpdatedAt), FiltersUpdatedAt: formatTime(l.CreatedAt)}
	if l.DeletedAt != nil {
		out.DeletedAt = formatTime(*l.DeletedAt)
	}
	return out
}

// properties are the default list properties a search answers
// (ListSearchRequest.additionalProperties); "properties that do not exist
// or that are empty for a particular list are not included", so a list
// nothing was ever added to or removed from has no time of either. The
// times are epoch milliseconds, as HubSpot's datetime properties are (a
// guess for these).
func (l *simList) properties() map[string]string {
	out := map[string]string{"hs_list_size": strconv.Itoa(len(l.members))}
	if !l.lastAdded.IsZero() {
		out["hs_last_record_added_at"] = strconv.FormatInt(l.lastAdded.UnixMilli(), 10)
	}
	if !l.lastRemoved.IsZero() {
		out["hs_last_record_removed_at"] = strconv.FormatInt(l.lastRemoved.UnixMilli(), 10)
	}
	return out
}

// listRoutes registers the lists API at each version.
func (s *Server) listRoutes(m versionedMux) {
	m.handle("POST", "", false, s.createList)                        // POST /crm/lists/{version}
	m.handle("POST", "/search", false, s.searchLists)                // POST .../search
	m.handle("GET", "/{list}", false, s.getList)                     // GET .../{listId}
	m.handle("DELETE", "/{list}", false, s.deleteList)               // DELETE .../{listId}
	m.handle("PUT", "/{list}/restore", false, s.restoreList)         // PUT .../{listId}/restore
	m.handle("PUT", "/{list}/update-list-name", false, s.renameList) // PUT .../{listId}/update-list-name
	m.handle("GET", "/{list}/memberships", false, s.listMembers)     // GET .../{listId}/memberships
	m.handle("GET", "/{list}/memberships/join-order", false, s.joinOrder)
	m.handle("PUT", "/{list}/memberships/add", false, s.addMembersHTTP)       // PUT .../memberships/add
	m.handle("PUT", "/{list}/memberships/remove", false, s.removeMembersHTTP) // PUT .../memberships/remove
}

type listCreateJSON struct {
	Name           string `json:"name"`
	ObjectTypeID   string `json:"objectTypeId"`
	ProcessingType string `json:"processingType"`
}

// createList serves POST /crm/lists/{version}: name, objectTypeId and
// processingType are required (ListCreateRequest); the name "must be
// globally unique across all public lists in the portal".
func (s *Server) createList(r *http.Request) (int, any, *apiError) {
	var in listCreateJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	if strings.TrimSpace(in.Name) == "" || in.ObjectTypeID == "" {
		return 0, nil, badRequest("A list needs name, objectTypeId and processingType")
	}
	if !slices.Contains([]string{"MANUAL", "SNAPSHOT", "DYNAMIC"}, in.ProcessingType) {
		return 0, nil, badRequest(fmt.Sprintf("processingType is one of MANUAL, SNAPSHOT or DYNAMIC, not %q", in.ProcessingType))
	}
	if _, e := s.typeNamed(in.ObjectTypeID); e != nil {
		return 0, nil, e
	}
	if s.listNameTaken(in.Name, "") {
		return 0, nil, conflict(fmt.Sprintf("A list named %s already exists", in.Name))
	}
	now := s.now()
	s.lists.nextID++
	l := &simList{ID: strconv.FormatInt(s.lists.nextID, 10), Name: in.Name, ObjectTypeID: in.ObjectTypeID,
		ProcessingType: in.ProcessingType, Version: 1, CreatedAt: now, UpdatedAt: now, members: map[string]time.Time{}}
	s.lists.byID[l.ID] = l
	return http.StatusOK, map[string]listJSON{"list": l.json()}, nil
}

func (s *Server) listNameTaken(name, except string) bool {
	for _, l := range s.lists.byID {
		if l.DeletedAt == nil && l.ID != except && l.Name == name {
			return true
		}
	}
	return false
}

type listSearchJSON struct {
	Query           string   `json:"query"`
	Offset          int      `json:"offset"`
	Count           *int     `json:"count"`
	ListIDs         []string `json:"listIds"`
	ProcessingTypes []string `json:"processingTypes"`
	ObjectTypeID    string   `json:"objectTypeId"`
}

// searchLists serves POST .../search: count defaults to 20 and is at most
// 500, offset pages (ListSearchRequest). A count past 500 is refused
// (a guess: the spec gives the maximum, not the answer past it). The
// order is by list id (a guess), and a query matches names that contain
// it, whatever the case (a guess).
func (s *Server) searchLists(r *http.Request) (int, any, *apiError) {
	var in listSearchJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	count := 20
	if in.Count != nil {
		count = *in.Count
	}
	if count < 1 || count > 500 || in.Offset < 0 {
		return 0, nil, badRequest(fmt.Sprintf("count is 1 to 500 and offset at least 0, not %d and %d", count, in.Offset))
	}
	var match []*simList
	for _, l := range s.sortedLists() {
		switch {
		case l.DeletedAt != nil && !s.lists.searchDeleted,
			len(in.ListIDs) > 0 && !slices.Contains(in.ListIDs, l.ID),
			len(in.ProcessingTypes) > 0 && !slices.Contains(in.ProcessingTypes, l.ProcessingType),
			in.ObjectTypeID != "" && in.ObjectTypeID != l.ObjectTypeID,
			in.Query != "" && !strings.Contains(strings.ToLower(l.Name), strings.ToLower(in.Query)):
			continue
		}
		match = append(match, l)
	}
	end := min(in.Offset+count, len(match))
	out := struct {
		Lists   []listJSON `json:"lists"`
		HasMore bool       `json:"hasMore"`
		Offset  int        `json:"offset"`
		Total   int        `json:"total"`
	}{Lists: []listJSON{}, HasMore: end < len(match), Offset: end, Total: len(match)}
	for _, l := range match[min(in.Offset, end):end] {
		j := l.json()
		j.AdditionalProperties = l.properties()
		out.Lists = append(out.Lists, j)
	}
	return http.StatusOK, out, nil
}

func (s *Server) sortedLists() []*simList {
	out := make([]*simList, 0, len(s.lists.byID))
	for _, l := range s.lists.byID {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *simList) int { return compareIDs(a.ID, b.ID) })
	return out
}

// compareIDs orders numeric ids by value.
func compareIDs(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return strings.Compare(a, b)
}

// liveList finds the path's list, not deleted. A deleted list's calls
// answer 404 (a guess: the spec says nothing of them).
func (s *Server) liveList(r *http.Request) (*simList, *apiError) {
	l := s.lists.byID[r.PathValue("list")]
	if l == nil || l.DeletedAt != nil {
		return nil, notFound(fmt.Sprintf("List %s does not exist", r.PathValue("list")))
	}
	return l, nil
}

// getList serves GET .../{listId} (ListFetchResponse), with its size.
func (s *Server) getList(r *http.Request) (int, any, *apiError) {
	l, e := s.liveList(r)
	if e != nil {
		return 0, nil, e
	}
	j := l.json()
	n := len(l.members)
	j.Size = &n
	return http.StatusOK, map[string]listJSON{"list": j}, nil
}

// deleteList serves DELETE .../{listId}: 204; the list "can be restored
// up to 90-days following the delete" (v3 spec, "Delete a List").
func (s *Server) deleteList(r *http.Request) (int, any, *apiError) {
	l, e := s.liveList(r)
	if e != nil {
		return 0, nil, e
	}
	now := s.now()
	l.DeletedAt = &now
	return http.StatusNoContent, nil, nil
}

// restoreList serves PUT .../{listId}/restore: 204, the list back with its
// members; its updatedAt moves (a guess). A list that is not deleted is
// refused (a guess).
func (s *Server) restoreList(r *http.Request) (int, any, *apiError) {
	l := s.lists.byID[r.PathValue("list")]
	if l == nil || l.DeletedAt == nil {
		return 0, nil, badRequest(fmt.Sprintf("List %s is not a deleted list", r.PathValue("list")))
	}
	l.DeletedAt, l.UpdatedAt = nil, s.now()
	return http.StatusNoContent, nil, nil
}

// renameList serves PUT .../{listId}/update-list-name?listName=
// (ListUpdateResponse); the list's version and updatedAt move (a guess).
func (s *Server) renameList(r *http.Request) (int, any, *apiError) {
	l, e := s.liveList(r)
	if e != nil {
		return 0, nil, e
	}
	name := r.URL.Query().Get("listName")
	if strings.TrimSpace(name) == "" {
		return 0, nil, badRequest("listName is required")
	}
	if s.listNameTaken(name, l.ID) {
		return 0, nil, conflict(fmt.Sprintf("A list named %s already exists", name))
	}
	l.Name, l.UpdatedAt = name, s.now()
	l.Version++
	return http.StatusOK, map[string]listJSON{"updatedList": l.json()}, nil
}
