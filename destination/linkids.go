package destination

import (
	"slices"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
)

// maxKnownIDs bounds the ids the linker keeps per type: past it, the
// type's are forgotten, and read again as links name them.
const maxKnownIDs = 100_000

// With idProperty, the linker keeps the HubSpot id of each idProperty
// value it learned, by type: of the objects this run wrote, and of those
// it read for links. A mirror's links then mostly cost no reads. An id
// HubSpot says is gone when a link names it is forgotten and read again
// (an object archived, or merged, elsewhere).

// norm is an idProperty value as HubSpot compares it in typ: email folds
// case.
func (l *linker) norm(typ, v string) string {
	if r, err := config.LookupResource(typ); err == nil && r.FoldsCase(l.idProperty) {
		return strings.ToLower(strings.TrimSpace(v))
	}
	return v
}

// learn notes the HubSpot id of an object of typ by its idProperty value.
func (l *linker) learn(typ, value, id string) {
	if l == nil || l.idProperty == "" || value == "" || id == "" {
		return
	}
	m := l.known[typ]
	if m == nil || len(m) >= maxKnownIDs {
		m = map[string]string{}
		l.known[typ] = m
	}
	m[l.norm(typ, value)] = id
}

func (l *linker) lookup(typ, value string) (string, bool) {
	id, ok := l.known[typ][l.norm(typ, value)]
	return id, ok
}

// unlearn forgets the objects of typ with these HubSpot ids.
func (l *linker) unlearn(typ string, ids []string) {
	for value, id := range l.known[typ] {
		if slices.Contains(ids, id) {
			delete(l.known[typ], value)
		}
	}
}
