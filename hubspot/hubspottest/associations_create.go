package hubspottest

import "fmt"

// A create, single or batch, may link the new object:
// "associations":[{"to":{"id":"7"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]
// (docs/associations.md, "Links on create"; "when creating an object record, you
// can associate it with existing records in the same request by including
// an associations array in the request body",
// https://developers.hubspot.com/docs/api-reference/latest/crm/associations/overview).
// The type id says which type the other object is. A link that cannot be
// made (an unknown type id, no such object) fails the create, and nothing
// is created (a guess: HubSpot's pages do not say).

type createLink struct {
	To    idRef      `json:"to"`
	Types []typeSpec `json:"types"`
}

// checkLinks checks a create's links before anything is written.
func (s *Server) checkLinks(ts *typeStore, links []createLink) *apiError {
	for _, l := range links {
		if _, _, e := s.linkTarget(ts, l); e != nil {
			return e
		}
	}
	return nil
}

// linkTarget finds the live object and the type ids a create's link names.
func (s *Server) linkTarget(ts *typeStore, l createLink) (assocEnd, []int, *apiError) {
	if len(l.Types) == 0 {
		return assocEnd{}, nil, badRequest("associations: each entry needs types")
	}
	var toType string
	ids := make([]int, len(l.Types))
	for i, t := range l.Types {
		d := s.assoc.defs[t.TypeID]
		if d == nil || d.from != ts.t.name || (toType != "" && d.to != toType) {
			return assocEnd{}, nil, validationError(fmt.Sprintf("associations: association type id %d is not one from %s to the object %s", t.TypeID, ts.t.name, l.To.ID), "INVALID_ASSOCIATION_TYPE", "")
		}
		if err := s.assoc.checkType(d.from, d.to, t.Category, t.TypeID); err != nil {
			return assocEnd{}, nil, validationError("associations: "+err.Error(), "INVALID_ASSOCIATION_TYPE", "")
		}
		toType, ids[i] = d.to, t.TypeID
	}
	to, ok := s.liveEnd(s.types[toType], l.To.ID)
	if !ok {
		return assocEnd{}, nil, badRequest(fmt.Sprintf("associations: no %s with id %s to associate", singularName(toType), l.To.ID))
	}
	return to, ids, nil
}

// createLinkedLocked creates an object and its links, or nothing when a
// link cannot be made.
func (s *Server) createLinkedLocked(ts *typeStore, props map[string]*string, links []createLink) (*record, *apiError) {
	if e := s.checkLinks(ts, links); e != nil {
		return nil, e
	}
	rec, e := s.createLocked(ts.t.name, props)
	if e != nil {
		return nil, e
	}
	from := assocEnd{typ: ts.t.name, id: rec.id}
	for _, l := range links {
		to, ids, _ := s.linkTarget(ts, l)
		s.linkLocked(from, to, ids...)
	}
	return rec, nil
}
