package hubspottest

import (
	"fmt"
	"slices"
	"time"
)

// Link is one object linked from another, with the association types of
// the link from the asking end.
type Link struct {
	ToID    string
	TypeIDs []int
	// Labels are the types' labels ("Primary", an account's own), in the
	// order of TypeIDs, unlabeled types left out.
	Labels []string
}

// Link change kinds.
const (
	LinkAdded   = "link"
	LinkRemoved = "unlink"
)

// LinkChange is one change of a link's types that a call or a helper
// made, from the end the call named: the ground truth of what a reader
// of links should see. A merge moving links logs nothing here.
type LinkChange struct {
	FromType, FromID string
	ToType, ToID     string
	// Kind is LinkAdded (the link or one of its types added) or
	// LinkRemoved (the link or one of its types removed).
	Kind string
	At   time.Time
}

// LinkChanges returns every link change, oldest first.
func (s *Server) LinkChanges() []LinkChange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.linkChanges)
}

// Links returns the live objects of toType linked from an object, by id.
func (s *Server) Links(fromType, fromID, toType string) ([]Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fromTS, toTS, e := s.inspectTypes(fromType, toType)
	if e != nil {
		return nil, e
	}
	from, ok := s.endOf(fromTS, fromID)
	if !ok {
		return nil, fmt.Errorf("hubspottest: no %s %s", fromType, fromID)
	}
	var out []Link
	for _, l := range s.visibleLinks(from, toTS.t.name) {
		out = append(out, Link{ToID: idString(l.to.id), TypeIDs: slices.Clone(l.typeIDs), Labels: labelNames(l.typeIDs, s.assoc.defs)})
	}
	return out, nil
}

// AllLinks returns every live object of fromType that links to live
// objects of toType, by id, with its links: what a comparison of two
// accounts compares.
func (s *Server) AllLinks(fromType, toType string) (map[string][]Link, error) {
	s.mu.Lock()
	fromTS, _, err := s.inspectTypes(fromType, toType)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	var ids []string
	for _, id := range fromTS.ids {
		if _, ok := s.liveEnd(fromTS, idString(id)); ok {
			ids = append(ids, idString(id))
		}
	}
	s.mu.Unlock()
	out := map[string][]Link{}
	for _, id := range ids {
		links, err := s.Links(fromType, id, toType)
		if err != nil {
			return nil, err
		}
		if len(links) > 0 {
			out[id] = links
		}
	}
	return out, nil
}

// Associate links two live objects as the v4 calls would: with the
// pair's unlabeled type, and the given type ids (from fromType's side)
// as well.
func (s *Server) Associate(fromType, fromID, toType, toID string, typeIDs ...int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fromTS, toTS, err := s.inspectTypes(fromType, toType)
	if err != nil {
		return err
	}
	var res assocBatchJSON
	from, to, ok := s.livePair(assocCall{from: fromTS, to: toTS, res: &res}, fromID, toID)
	if !ok {
		return fmt.Errorf("hubspottest: %s", res.Errors[0].Message)
	}
	for _, id := range typeIDs {
		if err := s.assoc.checkType(fromTS.t.name, toTS.t.name, "", id); err != nil {
			return fmt.Errorf("hubspottest: %w", err)
		}
	}
	s.linkLocked(from, to, typeIDs...)
	return nil
}

// Unassociate removes the link between two objects, every type, both
// ways, as batch archive would.
func (s *Server) Unassociate(fromType, fromID, toType, toID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fromTS, toTS, err := s.inspectTypes(fromType, toType)
	if err != nil {
		return err
	}
	from, okFrom := s.endOf(fromTS, fromID)
	to, okTo := s.endOf(toTS, toID)
	if okFrom && okTo {
		s.unlinkLocked(from, to)
	}
	return nil
}

// DefineAssociationLabel adds a USER_DEFINED association label from one
// type to another, with the label of the other direction (the same when
// inverse is ""), as an account's admin does, and returns the type id
// each way.
func (s *Server) DefineAssociationLabel(fromType, toType, label, inverse string) (int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fromTS, toTS, err := s.inspectTypes(fromType, toType)
	if err != nil {
		return 0, 0, err
	}
	if label == "" {
		return 0, 0, fmt.Errorf("hubspottest: label %s to %s: empty", fromType, toType)
	}
	a, b := s.assoc.defineLabel(fromTS.t.name, toTS.t.name, label, inverse)
	return a, b, nil
}

// AssociationTypeID returns the unlabeled association type id from one
// type to another, and its Primary type id (0 when the pair has none).
func (s *Server) AssociationTypeID(fromType, toType string) (unlabeled, primary int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := [2]string{fromType, toType}
	return s.assoc.unlabeled[key], s.assoc.primary[key]
}

func (s *Server) inspectTypes(fromType, toType string) (*typeStore, *typeStore, error) {
	fromTS, e := s.typeNamed(fromType)
	if e != nil {
		return nil, nil, e.asError()
	}
	toTS, e := s.typeNamed(toType)
	if e != nil {
		return nil, nil, e.asError()
	}
	return fromTS, toTS, nil
}
