package hubspottest

import (
	"testing"

	"github.com/matryer/is"
)

// TestCatalogValuesAreWhatAWriteStores: every well-formed value the
// catalogue makes is one the simulator's own write path accepts and stores
// unchanged, so that seeded values look like values written through the
// API; and every unparsable one is refused by it.
func TestCatalogValuesAreWhatAWriteStores(t *testing.T) {
	is := is.New(t)
	for name, typ := range standardTypes() {
		typ.addCatalog(catalog(name))
		for i := range 60 {
			for n, v := range catalogValues(typ, i, nil, catalogConfig{}) {
				p := typ.byName[n]
				got, code, err := normalize(p, v)
				if err != nil || got != v {
					t.Fatalf("%s.%s (%s/%s) value %q: stored as %q, %s %v", name, n, p.Type, p.FieldType, v, got, code, err)
				}
			}
		}
		for _, p := range typ.props {
			for d := range uint64(6) {
				v, ok := unparsable(p, d)
				if !ok {
					continue
				}
				if _, _, err := normalize(p, v); err == nil {
					t.Fatalf("%s.%s (%s) unparsable value %q was accepted", name, p.Name, p.Type, v)
				}
			}
		}
	}
	is.True(len(catalog("contacts")) == 600)
}
