package hubspottest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Object is the simulator's ground truth for one object, archived or not.
type Object struct {
	ID         string
	Type       string
	Properties map[string]string // values as HubSpot stores them; unset ones are absent
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Archived   bool
	ArchivedAt time.Time
	// MergedInto is the id of the object this one was merged into (at
	// MergedAt), or "". Reads of this id return that object.
	MergedInto string
	MergedAt   time.Time
}

// Change kinds in the change log.
const (
	ChangeCreate  = "create"
	ChangeUpdate  = "update"
	ChangeArchive = "archive"
	// ChangeMerge is an object absorbed by a merge.
	ChangeMerge = "merge"
)

// Change is one entry of the change log: every write the simulator applied.
type Change struct {
	Type string
	ID   string
	Kind string
	At   time.Time
	// Properties are the object's properties after the change.
	Properties map[string]string
}

// record is one stored object.
type record struct {
	id int64
	// props is never written once stored: a write stores a new version,
	// so that the search index and the change log share each version
	// instead of copying it (a contact of every property holds 600).
	props      values
	createdAt  time.Time
	updatedAt  time.Time
	archived   bool
	archivedAt time.Time
	mergedInto int64 // 0: not merged into another object
	mergedAt   time.Time
	// history is the record's writes, oldest first (history.go).
	history []historyWrite
	// index holds what search sees: the object as written, each version
	// visible from its own time on, the newest visible one winning.
	index []indexed
}

type indexed struct {
	visibleAt time.Time
	props     values
	createdAt time.Time
	updatedAt time.Time
	archived  bool
	keys      searchKeys // props' values every search compares, parsed once
}

func (r *record) public(typ string) Object {
	o := Object{
		ID: idString(r.id), Type: typ, Properties: r.props.toMap(),
		CreatedAt: r.createdAt, UpdatedAt: r.updatedAt, Archived: r.archived, ArchivedAt: r.archivedAt,
	}
	if r.mergedInto != 0 {
		o.MergedInto, o.MergedAt = idString(r.mergedInto), r.mergedAt
	}
	return o
}

// searchView returns the version search sees at now, if any.
func (r *record) searchView(now time.Time) (indexed, bool) {
	for i := len(r.index) - 1; i >= 0; i-- {
		if !r.index[i].visibleAt.After(now) {
			r.index = r.index[i:] // older versions can never be seen again
			v := r.index[0]
			return v, !v.archived
		}
	}
	return indexed{}, false
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// typeStore holds the objects of one type.
type typeStore struct {
	t      *objectType
	byID   map[int64]*record
	ids    []int64                     // every id ever created, ascending
	recs   []*record                   // the records of ids, in their order: a search scans them all
	unique map[string]map[string]int64 // property -> folded value -> live object id
	nextID int64
	// lastWritten is the names of the last write, sorted (writtenNames).
	lastWritten []string
}

func newTypeStore(t *objectType) *typeStore {
	s := &typeStore{t: t, byID: map[int64]*record{}, unique: map[string]map[string]int64{}, nextID: 1}
	for _, p := range t.props {
		if p.Unique {
			s.unique[p.Name] = map[string]int64{}
		}
	}
	return s
}

// lookup finds a live or archived object by id, or a live one by the value
// of a unique property. The id of an object merged into another finds the
// one it was merged into: "both of the previous IDs will point to the
// resulting merged record, so fetching any records using the original IDs
// will return the new merged record with the new ID"
// (https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies).
func (s *typeStore) lookup(idProperty, id string) (*record, *apiError) {
	if idProperty == "" || idProperty == "hs_object_id" {
		r := s.byIDString(id)
		for r != nil && r.mergedInto != 0 {
			r = s.byID[r.mergedInto]
		}
		return r, nil
	}
	idx, ok := s.unique[idProperty]
	if !ok {
		return nil, validationError(fmt.Sprintf("Property %q is not a unique identifier for %s", idProperty, s.t.name), "INVALID_ID_PROPERTY", idProperty)
	}
	n, ok := idx[fold(id)]
	if !ok {
		return nil, nil
	}
	return s.byID[n], nil
}

// byIDString finds an object by id as it is, merged or not.
func (s *typeStore) byIDString(id string) *record {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	return s.byID[n]
}

func fold(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// checkWrite validates the properties of a create or update and returns
// them as HubSpot stores them (nil: clear). self is the object being
// updated, for the unique checks.
func (s *typeStore) checkWrite(in map[string]*string, self *record) (map[string]*string, *apiError) {
	out := make(map[string]*string, len(in))
	var details []errorDetail
	var readOnly, unknown []string
	for _, name := range slices.Sorted(maps.Keys(in)) {
		p, ok := s.t.byName[name]
		switch {
		case !ok:
			unknown = append(unknown, name)
			details = append(details, errorDetail{Message: fmt.Sprintf("Property %q does not exist", name), Code: "PROPERTY_DOESNT_EXIST", Context: ctxMap("propertyName", name)})
			continue
		case p.ReadOnly:
			readOnly = append(readOnly, name)
			details = append(details, errorDetail{Message: fmt.Sprintf("%q is a read only property; its value cannot be set.", name), Code: "READ_ONLY_VALUE", Context: ctxMap("propertyName", name)})
			continue
		}
		if in[name] == nil {
			out[name] = nil
			continue
		}
		v, code, err := normalize(p, *in[name])
		if err != nil {
			details = append(details, errorDetail{Message: fmt.Sprintf("Property %q: %v", name, err), Code: code, Context: ctxMap("propertyName", name)})
			continue
		}
		out[name] = &v
	}
	if len(details) > 0 {
		e := &apiError{status: http.StatusBadRequest, category: categoryValidation, errors: details,
			message: "Property values were not valid: " + detailMessages(details)}
		if len(readOnly)+len(unknown) > 0 {
			e.context = map[string][]string{"propertyName": slices.Concat(readOnly, unknown)}
		}
		return nil, e
	}
	for name := range s.unique {
		v := out[name]
		if v == nil || *v == "" {
			continue
		}
		if other, taken := s.unique[name][fold(*v)]; taken && (self == nil || other != self.id) {
			return nil, &apiError{status: http.StatusConflict, category: "CONFLICT",
				message: fmt.Sprintf("%s already exists. Existing ID: %d", singular(s.t.name), other),
				context: map[string][]string{"propertyName": {name}, "existingId": {idString(other)}}}
		}
	}
	return out, nil
}

func detailMessages(details []errorDetail) string {
	msgs := make([]string, len(details))
	for i, d := range details {
		msgs[i] = d.Message
	}
	return strings.Join(msgs, "; ")
}

func singular(typeName string) string {
	if typeName == "companies" {
		return "Company"
	}
	s := strings.TrimSuffix(typeName, "s")
	if s == "" {
		return typeName
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// create stores a new object; props were checked by checkWrite.
func (s *typeStore) create(now time.Time, lag time.Duration, props map[string]*string) *record {
	id := s.nextID
	s.nextID++
	r := &record{id: id, createdAt: now, props: s.t.slots.fromMap(map[string]string{
		s.t.created: formatTime(now), "hs_object_id": idString(id), "hs_object_source": "INTEGRATION",
	})}
	s.byID[id] = r
	s.ids, s.recs = append(s.ids, id), append(s.recs, r)
	s.apply(now, lag, r, props)
	return r
}

// apply writes checked properties, into a new version (record.props),
// and moves the last-modified time.
func (s *typeStore) apply(now time.Time, lag time.Duration, r *record, props map[string]*string) {
	for name, v := range props {
		if idx, ok := s.unique[name]; ok {
			if old, had := r.props.get(name); had {
				delete(idx, fold(old))
			}
			if v != nil && *v != "" {
				idx[fold(*v)] = r.id
			}
		}
	}
	d := s.t.slots.draft(r.props)
	d.apply(props)
	d.put(s.t.modified, formatTime(now))
	next := d.done()
	r.updatedAt = now
	s.remember(r, now, props, next)
	r.props = next
	s.reindex(now, lag, r)
}

// archive moves an object to the recycle bin and frees its unique values.
// Search keeps showing it, at its last version, for the index lag: "for a
// few seconds after an archive, search (whose index lags) may still return
// the object" (docs/hubspot.md, "Archives").
func (s *typeStore) archive(now time.Time, lag time.Duration, r *record) {
	r.archived = true
	r.archivedAt = now
	for _, idx := range s.unique {
		// Its values, and the secondary emails merges gave it, are free.
		maps.DeleteFunc(idx, func(_ string, id int64) bool { return id == r.id })
	}
	r.index = append(r.index, indexed{visibleAt: now.Add(lag), archived: true})
}

// merge absorbs the secondary object into the primary, or both into a new
// object (keepID false, as HubSpot does now), and returns the survivor. The
// survivor keeps the primary's values and takes the secondary's where the
// primary has none ("the property values of the resulting merged record
// will use the latest property values of the primary record", same
// changelog), and lists every absorbed id in hs_merged_object_ids
// (docs/hubspot.md, "Merges"). Nothing is archived; the absorbed ids leave list and
// search (after the index lag), and their unique values point to the
// survivor.
func (s *typeStore) merge(now time.Time, lag time.Duration, primary, secondary *record, keepID bool) *record {
	props := secondary.props.toMap()
	maps.Copy(props, primary.props.toMap())
	primaryIDs, _ := primary.props.get(mergedIDsProperty)
	secondaryIDs, _ := secondary.props.get(mergedIDsProperty)
	ids := mergedIDs(primaryIDs, secondaryIDs)
	survivor := primary
	absorbed := []*record{secondary}
	if keepID {
		ids = append(ids, secondary.id)
	} else {
		survivor = &record{id: s.nextID, createdAt: now}
		s.nextID++
		s.byID[survivor.id] = survivor
		s.ids, s.recs = append(s.ids, survivor.id), append(s.recs, survivor)
		props[s.t.created] = formatTime(now)
		props["hs_object_id"] = idString(survivor.id)
		ids = append(ids, primary.id, secondary.id)
		absorbed = append(absorbed, primary)
	}
	mergeHistory(survivor, absorbed...)
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = idString(id)
	}
	props[mergedIDsProperty] = strings.Join(slices.Compact(parts), ";")
	if _, ok := s.t.byName[additionalEmailsProperty]; ok {
		props[additionalEmailsProperty] = additionalEmails(props["email"], primary.props, secondary.props)
	}
	props[s.t.modified] = formatTime(now)
	survivor.props = s.t.slots.fromMap(props)
	for _, r := range absorbed {
		r.mergedInto, r.mergedAt = survivor.id, now
		r.index = append(r.index, indexed{visibleAt: now.Add(lag), archived: true})
	}
	for _, idx := range s.unique {
		for v, id := range idx {
			if id == primary.id || id == secondary.id {
				idx[v] = survivor.id
			}
		}
	}
	survivor.updatedAt = now
	s.reindex(now, lag, survivor)
	return survivor
}

// additionalEmailsProperty lists, ;-separated, a contact's secondary
// emails: HubSpot finds the contact by any of them (docs/hubspot.md,
// "Uniqueness"), a merge adds the secondary contact's email there, and no
// new contact may take it (knowledge.hubspot.com/contacts/how-do-i-merge-contacts).
const additionalEmailsProperty = "hs_additional_emails"

// additionalEmails are the emails of the merged contacts besides primary.
func additionalEmails(primary string, merged ...values) string {
	var out []string
	for _, props := range merged {
		more, _ := props.get(additionalEmailsProperty)
		email, _ := props.get("email")
		for _, e := range append(strings.Split(more, ";"), email) {
			if e = strings.TrimSpace(e); e != "" && fold(e) != fold(primary) &&
				!slices.ContainsFunc(out, func(x string) bool { return fold(x) == fold(e) }) {
				out = append(out, e)
			}
		}
	}
	return strings.Join(out, ";")
}

// mergedIDsProperty lists, ;-separated, the ids merged into an object.
const mergedIDsProperty = "hs_merged_object_ids"

func mergedIDs(lists ...string) []int64 {
	var out []int64
	for _, l := range lists {
		for _, p := range strings.Split(l, ";") {
			if n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func (s *typeStore) reindex(now time.Time, lag time.Duration, r *record) {
	r.index = append(r.index, indexed{
		visibleAt: now.Add(lag), props: r.props, keys: newSearchKeys(s.t, r.props),
		createdAt: r.createdAt, updatedAt: r.updatedAt,
	})
}

// page returns up to limit records with id >= after, archived or not as
// asked, and the id to continue from ("" at the end).
func (s *typeStore) page(after int64, limit int, archived bool) ([]*record, string) {
	start := sort.Search(len(s.ids), func(i int) bool { return s.ids[i] >= after })
	var out []*record
	for i := start; i < len(s.ids); i++ {
		r := s.byID[s.ids[i]]
		if r.archived != archived || r.mergedInto != 0 {
			continue // merged objects are neither live nor archived
		}
		if len(out) == limit {
			return out, idString(r.id)
		}
		out = append(out, r)
	}
	return out, ""
}
