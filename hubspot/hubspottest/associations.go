package hubspottest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Associations (links between objects), as docs/associations.md describes
// HubSpot's: a link is two-way ("associations are always two-way",
// https://knowledge.hubspot.com/records/associate-records), and each
// direction carries one or more association types: the pair's unlabeled
// type, HubSpot's "Primary" where the pair has one, and labels an account
// defines (USER_DEFINED). The store keeps both directions, so that reading
// from either end is one lookup.

// Association categories.
const (
	categoryHubSpotDefined = "HUBSPOT_DEFINED"
	categoryUserDefined    = "USER_DEFINED"
)

// assocDef is one association type: a direction between two object types,
// with its id, category, label (nil: unlabeled) and the v3 name the inline
// associations= shape shows. inverse is the type id of the other direction.
type assocDef struct {
	from, to string
	typeID   int
	category string
	label    *string
	name     string
	inverse  int
}

// definedPair is one row of HubSpot's association type id table: the
// unlabeled type each way and, where HubSpot has one, "Primary" each way.
type definedPair struct {
	a, b               string
	aToB, bToA         int
	primaryA, primaryB int // 0: none
	nameA, nameB       string
}

// hubspotDefined are HubSpot's association type ids between the standard
// types the simulator models (docs/associations.md, "Type ids": the table
// of https://developers.hubspot.com/docs/api/crm/associations#association-type-id-values
// as HubSpot's client libraries copy it, e.g. HubSpot.NET's
// AssociationType enum). Contact-company, deal-company and ticket-company
// have an unlabeled type and a Primary one; the others one type each way.
var hubspotDefined = []definedPair{
	{a: "contacts", b: "companies", aToB: 279, bToA: 280, primaryA: 1, primaryB: 2, nameA: "contact_to_company", nameB: "company_to_contact"},
	{a: "deals", b: "contacts", aToB: 3, bToA: 4, nameA: "deal_to_contact", nameB: "contact_to_deal"},
	{a: "deals", b: "companies", aToB: 341, bToA: 342, primaryA: 5, primaryB: 6, nameA: "deal_to_company", nameB: "company_to_deal"},
	{a: "tickets", b: "contacts", aToB: 16, bToA: 15, nameA: "ticket_to_contact", nameB: "contact_to_ticket"},
	{a: "tickets", b: "companies", aToB: 339, bToA: 340, primaryA: 26, primaryB: 25, nameA: "ticket_to_company", nameB: "company_to_ticket"},
	{a: "deals", b: "tickets", aToB: 27, bToA: 28, nameA: "deal_to_ticket", nameB: "ticket_to_deal"},
	{a: "deals", b: "line_items", aToB: 19, bToA: 20, nameA: "deal_to_line_item", nameB: "line_item_to_deal"},
}

// madeUpTypeIDs is where the ids of the pairs the table does not name
// start (custom objects, engagements, products...): HubSpot has ids for
// them, per account for custom objects, that the simulator does not know;
// these are a guess, distinct from every documented one.
const madeUpTypeIDs = 100000

// userDefinedTypeIDs is where the ids of labels an account defines start
// (a guess: HubSpot numbers them per account).
const userDefinedTypeIDs = 200000

// assocEnd is one end of a link: an object of a type.
type assocEnd struct {
	typ string
	id  int64
}

// assocStore holds the association types and the links.
type assocStore struct {
	defs map[int]*assocDef
	// unlabeled is the pair's unlabeled type id per direction, primary its
	// Primary type where it has one.
	unlabeled map[[2]string]int
	primary   map[[2]string]int
	nextMade  int
	nextUser  int
	// links holds each direction: from -> to -> the set of type ids.
	links map[assocEnd]map[assocEnd]map[int]bool
}

func newAssocStore(typeNames []string) *assocStore {
	a := &assocStore{
		defs: map[int]*assocDef{}, unlabeled: map[[2]string]int{}, primary: map[[2]string]int{},
		nextMade: madeUpTypeIDs, nextUser: userDefinedTypeIDs,
		links: map[assocEnd]map[assocEnd]map[int]bool{},
	}
	primaryLabel := "Primary"
	for _, p := range hubspotDefined {
		a.pair(p.a, p.b, p.aToB, p.bToA, nil, nil, p.nameA+"_unlabeled", p.nameB+"_unlabeled", a.unlabeled)
		if p.primaryA != 0 {
			a.pair(p.a, p.b, p.primaryA, p.primaryB, &primaryLabel, &primaryLabel, p.nameA, p.nameB, a.primary)
		} else {
			// One type each way: its v3 name has no _unlabeled suffix.
			a.defs[p.aToB].name, a.defs[p.bToA].name = p.nameA, p.nameB
		}
	}
	names := slices.Sorted(slices.Values(typeNames))
	for i, x := range names {
		for _, y := range names[i:] {
			a.ensureUnlabeled(x, y)
		}
	}
	return a
}

// pair defines a type each way between a and b, and records them in index.
func (a *assocStore) pair(x, y string, xToY, yToX int, labelX, labelY *string, nameX, nameY string, index map[[2]string]int) {
	a.defs[xToY] = &assocDef{from: x, to: y, typeID: xToY, category: categoryHubSpotDefined, label: labelX, name: nameX, inverse: yToX}
	a.defs[yToX] = &assocDef{from: y, to: x, typeID: yToX, category: categoryHubSpotDefined, label: labelY, name: nameY, inverse: xToY}
	index[[2]string{x, y}], index[[2]string{y, x}] = xToY, yToX
}

// ensureUnlabeled gives a pair of types the table does not name an
// unlabeled type each way (made up ids). A type with itself (contact to
// contact) has one type, its own inverse.
func (a *assocStore) ensureUnlabeled(x, y string) {
	if _, ok := a.unlabeled[[2]string{x, y}]; ok {
		return
	}
	xToY := a.nextMade
	yToX := xToY
	a.nextMade++
	if x != y {
		yToX = a.nextMade
		a.nextMade++
	}
	a.pair(x, y, xToY, yToX, nil, nil, singularName(x)+"_to_"+singularName(y), singularName(y)+"_to_"+singularName(x), a.unlabeled)
}

func singularName(typ string) string { return strings.ToLower(singular(typ)) }

// defineLabel adds a USER_DEFINED label between two types, with its
// inverse label (the same label when inverse is ""), and returns the type
// id each way.
func (a *assocStore) defineLabel(from, to, label, inverse string) (int, int) {
	if inverse == "" {
		inverse = label
	}
	xToY := a.nextUser
	a.nextUser++
	yToX := xToY
	if from != to || inverse != label {
		yToX = a.nextUser
		a.nextUser++
	}
	l, inv := label, inverse
	a.defs[xToY] = &assocDef{from: from, to: to, typeID: xToY, category: categoryUserDefined, label: &l, name: idString(int64(xToY)), inverse: yToX}
	a.defs[yToX] = &assocDef{from: to, to: from, typeID: yToX, category: categoryUserDefined, label: &inv, name: idString(int64(yToX)), inverse: xToY}
	return xToY, yToX
}

// labels lists the association types from one type to another, by id.
func (a *assocStore) labels(from, to string) []*assocDef {
	var out []*assocDef
	for _, id := range slices.Sorted(maps.Keys(a.defs)) {
		if d := a.defs[id]; d.from == from && d.to == to {
			out = append(out, d)
		}
	}
	return out
}

// checkType refuses a type id that is not one between these two types,
// or whose category is not the one named.
func (a *assocStore) checkType(from, to, category string, typeID int) error {
	d := a.defs[typeID]
	if d == nil || d.from != from || d.to != to {
		return fmt.Errorf("association type id %d does not exist from %s to %s", typeID, from, to)
	}
	if category != "" && category != d.category {
		return fmt.Errorf("association type id %d from %s to %s is %s, not %s", typeID, from, to, d.category, category)
	}
	return nil
}

// add links from to to with the type ids (from's direction) and their
// inverses. A label or Primary brings the pair's unlabeled type with it:
// labels archive says "deleting an unlabeled association will also delete
// all labeled associations between those two objects"
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/batch/delete-association-labels),
// so no labeled link is without the unlabeled one. It reports whether the
// link changed.
func (a *assocStore) add(from, to assocEnd, typeIDs ...int) bool {
	changed := false
	ids := append([]int{a.unlabeled[[2]string{from.typ, to.typ}]}, typeIDs...)
	for _, id := range ids {
		changed = a.set(from, to, id) || changed
		changed = a.set(to, from, a.defs[id].inverse) || changed
	}
	return changed
}

func (a *assocStore) set(from, to assocEnd, id int) bool {
	if from == to {
		return false // an object is not linked to itself
	}
	m := a.links[from]
	if m == nil {
		m = map[assocEnd]map[int]bool{}
		a.links[from] = m
	}
	if m[to] == nil {
		m[to] = map[int]bool{}
	}
	if m[to][id] {
		return false
	}
	m[to][id] = true
	return true
}

// remove takes types off a link, both ways; removing the unlabeled type,
// or naming none, removes the whole link. It reports whether it changed.
func (a *assocStore) remove(from, to assocEnd, typeIDs ...int) bool {
	types := a.links[from][to]
	if len(types) == 0 {
		return false
	}
	if len(typeIDs) == 0 || slices.Contains(typeIDs, a.unlabeled[[2]string{from.typ, to.typ}]) {
		a.drop(from, to)
		a.drop(to, from)
		return true
	}
	changed := false
	for _, id := range typeIDs {
		if types[id] {
			delete(types, id)
			delete(a.links[to][from], a.defs[id].inverse)
			changed = true
		}
	}
	return changed
}

func (a *assocStore) drop(from, to assocEnd) {
	delete(a.links[from], to)
	if len(a.links[from]) == 0 {
		delete(a.links, from)
	}
}

// linked returns the objects of toType that from links to, by id, with
// their type ids.
func (a *assocStore) linked(from assocEnd, toType string) []assocLink {
	var out []assocLink
	for to, types := range a.links[from] {
		if to.typ == toType && len(types) > 0 {
			out = append(out, assocLink{to: to, typeIDs: slices.Sorted(maps.Keys(types))})
		}
	}
	slices.SortFunc(out, func(x, y assocLink) int { return cmp.Compare(x.to.id, y.to.id) })
	return out
}

// assocLink is one linked object and the types of the link from the end
// asked about.
type assocLink struct {
	to      assocEnd
	typeIDs []int
}

// moveTo gives the survivor of a merge the links of the objects it
// absorbed: "one company record with activities and associations from
// both records" (https://knowledge.hubspot.com/deals/merge-deals). A link
// between the merged objects themselves goes (an object is not linked to
// itself). HubSpot keeps only the primary contact's company on a contact
// merge (a help page on merging, https://hubspot.lqdt.com/merging-records);
// the simulator keeps both, a simplification.
func (a *assocStore) moveTo(survivor assocEnd, absorbed ...assocEnd) []assocEnd {
	touched := map[assocEnd]bool{}
	for _, old := range absorbed {
		for to, types := range a.links[old] {
			ids := slices.Sorted(maps.Keys(types))
			a.remove(old, to)
			if to == survivor || slices.Contains(absorbed, to) {
				continue
			}
			for _, id := range ids {
				a.set(survivor, to, id)
				a.set(to, survivor, a.defs[id].inverse)
			}
			touched[to] = true
		}
	}
	return slices.Collect(maps.Keys(touched))
}
