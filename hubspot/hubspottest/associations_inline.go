package hubspottest

import (
	"net/http"
	"strconv"
)

// The v3 list and read calls take associations=companies,deals and show
// each object's links inline: "associations":{"companies":{"results":
// [{"id":"7","type":"contact_to_company"}]}} (docs/associations.md,
// "v3 associations= on list and read"). Each type of a link is its own result, so a link with
// its unlabeled type and Primary is two results with the same id. At most
// inlineMaxResults show per linked type; past them the entry carries a
// paging link, as HubSpot changed the v3 calls to do
// (https://developers.hubspot.com/changelog/announcing-a-change-to-how-v3-crm-apis-return-association-data;
// the cap of 100: github.com/HubSpot/hubspot-api-nodejs/issues/29 and
// github.com/HubSpot/hubspot-api-python/issues/135). Search shows no
// associations, and neither does the objects' batch read, whose body has
// no such field.

// inlineMaxResults is how many associations one linked type shows inline.
const inlineMaxResults = 100

type inlineAssocJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type inlineJSON struct {
	Results []inlineAssocJSON `json:"results"`
	Paging  *pagingJSON       `json:"paging,omitempty"`
}

// inlineTypes reads the associations parameter: the linked types to show.
// An unknown type is a 400, as it is in a path (a guess: HubSpot may
// ignore it).
func (s *Server) inlineTypes(r *http.Request) ([]string, *apiError) {
	var out []string
	for _, name := range queryList(r, "associations") {
		ts, e := s.typeNamed(name)
		if e != nil {
			return nil, e
		}
		out = append(out, ts.t.name)
	}
	return out, nil
}

// withInline adds an object's links of the asked types to its rendering.
// A type with no links is left out (a guess: HubSpot's examples show
// only linked types). The key is the type's name (for a custom type its
// id, a guess).
func (s *Server) withInline(r *http.Request, ts *typeStore, rec *record, out objectJSON, types []string) objectJSON {
	if len(types) == 0 || rec.archived || rec.mergedInto != 0 {
		return out
	}
	from := assocEnd{typ: ts.t.name, id: rec.id}
	for _, toType := range types {
		var all []inlineAssocJSON
		for _, l := range s.visibleLinks(from, toType) {
			for _, id := range l.typeIDs {
				all = append(all, inlineAssocJSON{ID: idString(l.to.id), Type: s.assoc.defs[id].name})
			}
		}
		if len(all) == 0 {
			continue
		}
		entry := inlineJSON{Results: all[:min(len(all), inlineMaxResults)]}
		if len(all) > inlineMaxResults {
			// The link names v3's per-object associations call, which the
			// simulator does not serve: a reader takes the rest from the
			// v4 batch read.
			after := strconv.Itoa(inlineMaxResults)
			entry.Paging = &pagingJSON{Next: nextJSON{After: after,
				Link: "https://" + r.Host + "/crm/v3/objects/" + ts.t.name + "/" + idString(rec.id) + "/associations/" + toType + "?after=" + after}}
		}
		if out.Associations == nil {
			out.Associations = map[string]inlineJSON{}
		}
		out.Associations[toType] = entry
	}
	return out
}
