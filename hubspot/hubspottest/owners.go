package hubspottest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

const ownersMaxLimit = 500

// Owner is the simulator's ground truth for one owner.
type Owner struct {
	ID        string
	Email     string
	FirstName string
	LastName  string
	UserID    int64
	CreatedAt time.Time
	UpdatedAt time.Time
	Archived  bool
}

type owner struct {
	Owner
	id int64
}

type ownerStore struct {
	byID   map[int64]*owner
	ids    []int64
	nextID int64
}

type ownerJSON struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Type      string `json:"type"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	UserID    int64  `json:"userId"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
	Archived  bool   `json:"archived"`
}

func (o *owner) json() ownerJSON {
	return ownerJSON{ID: o.ID, Email: o.Email, Type: "PERSON", FirstName: o.FirstName, LastName: o.LastName,
		UserID: o.UserID, CreatedAt: formatTime(o.CreatedAt), UpdatedAt: formatTime(o.UpdatedAt), Archived: o.Archived}
}

// AddOwner adds an owner and returns its id.
func (s *Server) AddOwner(email, firstName, lastName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	id := s.owners.nextID
	s.owners.nextID++
	o := &owner{id: id, Owner: Owner{ID: idString(id), Email: email, FirstName: firstName, LastName: lastName,
		UserID: 9_000_000 + id, CreatedAt: now, UpdatedAt: now}}
	s.owners.byID[id] = o
	s.owners.ids = append(s.owners.ids, id)
	return o.ID
}

// UpdateOwner renames an owner, which moves its updatedAt.
func (s *Server) UpdateOwner(id, firstName, lastName string) error {
	return s.changeOwner(id, true, func(o *owner) { o.FirstName, o.LastName = firstName, lastName })
}

// ArchiveOwner deactivates an owner: it leaves the live list for the
// archived one (GET /crm/owners/{version}?archived=true), with archived
// true and, as the spec's PublicOwner has none, no archivedAt
// (PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/2026-09/crmOwners.json;
// supaglue-labs/supaglue#665 saw none on real accounts). No document says
// whether the move changes updatedAt: by default it does not, the worst
// case for a reader, and WithOwnerArchiveMovingUpdatedAt makes it.
func (s *Server) ArchiveOwner(id string) error {
	return s.changeOwner(id, s.ownerArchiveTouches, func(o *owner) { o.Archived = true })
}

// RestoreOwner reactivates a deactivated owner: it leaves the archived list
// for the live one, its updatedAt as ArchiveOwner leaves it.
func (s *Server) RestoreOwner(id string) error {
	return s.changeOwner(id, s.ownerArchiveTouches, func(o *owner) { o.Archived = false })
}

func (s *Server) changeOwner(id string, touch bool, change func(*owner)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, _ := strconv.ParseInt(id, 10, 64)
	o := s.owners.byID[n]
	if o == nil {
		return fmt.Errorf("hubspottest: no owner %s", id)
	}
	change(o)
	if touch {
		o.UpdatedAt = s.now()
	}
	return nil
}

// Owners returns every owner, archived ones too.
func (s *Server) Owners() []Owner {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Owner, 0, len(s.owners.ids))
	for _, id := range s.owners.ids {
		out = append(out, s.owners.byID[id].Owner)
	}
	return out
}

// listOwners serves GET /crm/v3/owners.
func (s *Server) listOwners(r *http.Request) (int, any, *apiError) {
	limit, after, archived, e := pageParams(r, 100, ownersMaxLimit)
	if e != nil {
		return 0, nil, e
	}
	email := r.URL.Query().Get("email")
	ids := s.owners.ids
	start := sort.Search(len(ids), func(i int) bool { return ids[i] >= after })
	out := pageJSON[ownerJSON]{Results: []ownerJSON{}}
	for _, id := range ids[start:] {
		o := s.owners.byID[id]
		if o.Archived != archived || (email != "" && !strings.EqualFold(email, o.Email)) {
			continue
		}
		if len(out.Results) == limit {
			out.Paging = &pagingJSON{Next: nextJSON{After: o.ID}}
			break
		}
		out.Results = append(out.Results, o.json())
	}
	return http.StatusOK, out, nil
}

// getOwner serves GET /crm/v3/owners/{id}.
func (s *Server) getOwner(r *http.Request) (int, any, *apiError) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o := s.owners.byID[n]
	if err != nil || o == nil {
		return 0, nil, notFound(fmt.Sprintf("Owner %s not found", r.PathValue("id")))
	}
	return http.StatusOK, o.json(), nil
}
