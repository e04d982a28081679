package hubspottest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The members of a list, from the same spec as lists.go.

// membershipsMaxLimit is the largest page of members: "The maximum `limit`
// is 250", the default 100 (v3 spec, both memberships calls). A limit past
// it is refused, as the objects list refuses one past its own.
const (
	membershipsDefaultLimit = 100
	membershipsMaxLimit     = 250
)

type memberJSON struct {
	RecordID            string `json:"recordId"`
	MembershipTimestamp string `json:"membershipTimestamp"`
}

type member struct {
	id string
	at time.Time
}

func (l *simList) sortedMembers(byJoin bool) []member {
	out := make([]member, 0, len(l.members))
	for id, at := range l.members {
		out = append(out, member{id, at})
	}
	slices.SortFunc(out, func(a, b member) int {
		if byJoin {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
		}
		return compareIDs(a.id, b.id)
	})
	return out
}

// listMembers serves GET .../{listId}/memberships: "sorted by the
// recordId of the records in the list", ascending with after or no
// cursor (v3 spec, "Fetch List Memberships Ordered by ID"). The cursor is
// the last record id of the page before (its form is a guess: the spec
// calls it an offset token). The before cursor is not served.
func (s *Server) listMembers(r *http.Request) (int, any, *apiError) {
	return s.memberPage(r, false)
}

// joinOrder serves GET .../{listId}/memberships/join-order: "sorted by the
// time the records were added to the list", ascending (v3 spec); records
// added in the same millisecond by id (a guess). The cursor is the last
// member's time and id.
func (s *Server) joinOrder(r *http.Request) (int, any, *apiError) {
	return s.memberPage(r, true)
}

func (s *Server) memberPage(r *http.Request, byJoin bool) (int, any, *apiError) {
	l, e := s.liveList(r)
	if e != nil {
		return 0, nil, e
	}
	limit, e := queryLimit(r, membershipsDefaultLimit, membershipsMaxLimit)
	if e != nil {
		return 0, nil, e
	}
	all := l.sortedMembers(byJoin)
	start := 0
	if after := r.URL.Query().Get("after"); after != "" {
		at, id, ok := parseMemberCursor(after, byJoin)
		if !ok {
			return 0, nil, badRequest(fmt.Sprintf("after must be a cursor returned by a previous page, got %q", after))
		}
		start, _ = slices.BinarySearchFunc(all, member{id, at}, func(m, t member) int {
			if byJoin {
				if c := m.at.Compare(t.at); c != 0 {
					return c
				}
			}
			return cmp.Compare(compareIDs(m.id, t.id), 0)
		})
		if start < len(all) && all[start].id == id {
			start++
		}
	}
	end := min(start+limit, len(all))
	out := pageJSON[memberJSON]{Results: []memberJSON{}}
	for _, m := range all[start:end] {
		out.Results = append(out.Results, memberJSON{RecordID: m.id, MembershipTimestamp: formatTime(m.at)})
	}
	if end < len(all) {
		last := all[end-1]
		cursor := last.id
		if byJoin {
			cursor = strconv.FormatInt(last.at.UnixMilli(), 10) + "-" + last.id
		}
		out.Paging = nextPage(r, cursor)
	}
	return http.StatusOK, out, nil
}

func parseMemberCursor(after string, byJoin bool) (time.Time, string, bool) {
	if !byJoin {
		_, err := strconv.ParseUint(after, 10, 64)
		return time.Time{}, after, err == nil
	}
	ms, id, ok := strings.Cut(after, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil {
		return time.Time{}, "", false
	}
	return time.UnixMilli(n).UTC(), id, true
}

type membershipsUpdateJSON struct {
	Added   []string `json:"recordsIdsAdded"`
	Removed []string `json:"recordIdsRemoved"`
	Missing []string `json:"recordIdsMissing"`
}

// addMembersHTTP serves PUT .../memberships/add: "Records that do not
// exist or that are already members of the list are ignored"; "only works
// for lists that have a processingType of MANUAL or SNAPSHOT" (v3 spec).
func (s *Server) addMembersHTTP(r *http.Request) (int, any, *apiError) {
	return s.changeMembersHTTP(r, true)
}

// removeMembersHTTP serves PUT .../memberships/remove: "Records that do
// not exist or that are not members of the list are ignored".
func (s *Server) removeMembersHTTP(r *http.Request) (int, any, *apiError) {
	return s.changeMembersHTTP(r, false)
}

func (s *Server) changeMembersHTTP(r *http.Request, add bool) (int, any, *apiError) {
	l, e := s.liveList(r)
	if e != nil {
		return 0, nil, e
	}
	if l.ProcessingType == "DYNAMIC" {
		return 0, nil, badRequest(fmt.Sprintf("List %s is DYNAMIC: its members follow its filters", l.ID))
	}
	var ids []string
	if e := decodeBody(r, &ids); e != nil {
		return 0, nil, e
	}
	return http.StatusOK, s.changeMembers(l, add, ids), nil
}

// changeMembers adds or removes ids: an added record must be a live
// object of the list's type. The list's last added or removed time moves
// when a member came or went.
func (s *Server) changeMembers(l *simList, add bool, ids []string) membershipsUpdateJSON {
	out := membershipsUpdateJSON{Added: []string{}, Removed: []string{}, Missing: []string{}}
	ts, _ := s.typeNamed(l.ObjectTypeID)
	now := s.now()
	for _, id := range ids {
		_, member := l.members[id]
		switch {
		case add && member:
		case add:
			if ts == nil {
				out.Missing = append(out.Missing, id)
				continue
			}
			if r := ts.byIDString(id); r == nil || r.archived {
				out.Missing = append(out.Missing, id)
				continue
			}
			l.members[id] = now
			l.lastAdded = now
			out.Added = append(out.Added, id)
		case member:
			delete(l.members, id)
			l.lastRemoved = now
			out.Removed = append(out.Removed, id)
		}
	}
	return out
}

// CreateList makes a list, as HubSpot's UI or a workflow would, and
// returns its id; name must be free.
func (s *Server) CreateList(name, objectTypeID, processingType string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.lists.nextID++
	l := &simList{ID: strconv.FormatInt(s.lists.nextID, 10), Name: name, ObjectTypeID: objectTypeID,
		ProcessingType: processingType, Version: 1, CreatedAt: now, UpdatedAt: now, members: map[string]time.Time{}}
	s.lists.byID[l.ID] = l
	return l.ID
}

// AddListMembers adds records to a list of any processing type, as
// HubSpot's processing of a DYNAMIC list's filters would; it returns the
// ids added.
func (s *Server) AddListMembers(listID string, ids ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.lists.byID[listID]; l != nil {
		return s.changeMembers(l, true, ids).Added
	}
	return nil
}

// RemoveListMembers removes records from a list of any processing type;
// it returns the ids removed.
func (s *Server) RemoveListMembers(listID string, ids ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.lists.byID[listID]; l != nil {
		return s.changeMembers(l, false, ids).Removed
	}
	return nil
}

// ListMembers returns the record ids of a live list, in ascending order:
// the truth a reader's records are checked against. A deleted list has
// none.
func (s *Server) ListMembers(listID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lists.byID[listID]
	if l == nil || l.DeletedAt != nil {
		return nil
	}
	var out []string
	for _, m := range l.sortedMembers(false) {
		out = append(out, m.id)
	}
	return out
}

// LiveLists returns the ids of the lists not deleted, in ascending order.
func (s *Server) LiveLists() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, l := range s.sortedLists() {
		if l.DeletedAt == nil {
			out = append(out, l.ID)
		}
	}
	return out
}

// DeletedLists returns the ids of the deleted lists, in ascending order.
func (s *Server) DeletedLists() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, l := range s.sortedLists() {
		if l.DeletedAt != nil {
			out = append(out, l.ID)
		}
	}
	return out
}
