package source

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// PropertyLister is what the source needs of hubspot.PropertiesService:
// the definitions of the properties it reads (mock.MockSourcePropertyLister
// in tests).
type PropertyLister interface {
	List(ctx context.Context, objectType string) ([]hubspot.Property, error)
}

var _ PropertyLister = (*hubspot.PropertiesService)(nil)

// catalogRefreshEvery is how often the source lists the resource's
// properties again: properties created in HubSpot while the pipeline runs
// appear in records within this time, archived ones leave, for one request
// each time (144 a day).
const catalogRefreshEvery = 10 * time.Minute

// catalog is the resource's properties the source reads, with their
// definitions: the configured ones (fixed), or every property HubSpot lists
// for the type, kept current while the pipeline runs. A record built of an
// object with a property the catalog does not know makes it list them again
// at once (shape.fill notes it).
type catalog struct {
	lister     PropertyLister
	objectType string
	// fixed are the names to read whatever HubSpot lists; nil: every
	// property HubSpot lists.
	fixed []string
	// required are read whatever the configuration says: the id, the
	// created and modified times, the merged ids.
	required []string
	// fallback are the names read, as strings, when the token may not
	// read the properties API: the resource's default properties.
	fallback []string
	now      func() time.Time
	// refused is set once the properties API refused the token (a 403:
	// no crm.schemas.*.read scope): the catalog then reads fixed, or
	// fallback, untyped, and lists no more.
	refused bool

	names    []string         // what reads ask for, sorted
	columns  *hubspot.Columns // of names, which reads ask for
	defs     map[string]hubspot.Property
	listedAt time.Time
	stale    bool // a read returned a property the catalog lacks
	// unknown are the names that made the catalog stale: one that HubSpot
	// still does not list after that does not make it stale again.
	unknown map[string]bool
	// generation counts the changes of names or definitions, so that what
	// is built from them (the schema) knows when to build again.
	generation int
}

// newCatalog returns a catalog that has not listed the properties yet: it
// reads fixed (or nothing but required, until the first refresh).
func newCatalog(lister PropertyLister, objectType string, fixed, required, fallback []string, now func() time.Time) *catalog {
	c := &catalog{lister: lister, objectType: objectType, fixed: fixed, required: required, fallback: fallback, now: now}
	c.setNames(c.selected(nil))
	return c
}

// setNames makes names, and their columns, what reads ask for.
func (c *catalog) setNames(names []string) {
	c.names, c.columns = names, hubspot.NewColumns(names)
}

// due reports whether the catalog should list the properties again.
func (c *catalog) due() bool {
	if c.refused {
		return false
	}
	return c.stale || c.listedAt.IsZero() || c.now().Sub(c.listedAt) >= catalogRefreshEvery
}

// refresh lists the resource's properties, and reports whether the names
// read or their definitions changed.
func (c *catalog) refresh(ctx context.Context) (bool, error) {
	props, err := c.lister.List(ctx, c.objectType)
	if hubspot.StatusCode(err) == http.StatusForbidden && c.defs == nil {
		// A token without the schemas scope read objects before this
		// source typed them: it still does, with strings.
		c.refused, c.defs = true, map[string]hubspot.Property{}
		if c.fixed == nil {
			c.fixed = c.fallback
		}
		c.setNames(c.selected(nil))
		c.generation++
		return true, &refusedError{objectType: c.objectType, err: err}
	}
	if err != nil {
		return false, fmt.Errorf("list the properties of %s: %w", c.objectType, err)
	}
	c.listedAt, c.stale = c.now(), false
	defs := make(map[string]hubspot.Property, len(props))
	for _, p := range props {
		defs[p.Name] = p
	}
	names := c.selected(defs)
	if slices.Equal(names, c.names) && sameDefinitions(names, defs, c.defs) {
		return false, nil
	}
	c.setNames(names)
	c.defs = defs
	c.generation++
	return true, nil
}

// selected returns the names to read, given HubSpot's definitions (nil: not
// listed yet). A fixed name HubSpot does not list is still asked for: a
// read leaves it out, as HubSpot leaves out what it does not know.
func (c *catalog) selected(defs map[string]hubspot.Property) []string {
	names := slices.Concat(c.required, c.fixed)
	if c.fixed == nil {
		for name := range defs {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// sameDefinitions reports whether a and b define names alike, in what
// records are built from.
func sameDefinitions(names []string, a, b map[string]hubspot.Property) bool {
	for _, n := range names {
		pa, oka := a[n]
		pb, okb := b[n]
		if oka != okb || pa.Type != pb.Type || pa.FieldType != pb.FieldType {
			return false
		}
	}
	return true
}

// listed reports whether the catalog has listed the properties once.
func (c *catalog) listed() bool { return c.defs != nil }

// postpone puts the next listing off by catalogRefreshEvery.
func (c *catalog) postpone() { c.listedAt, c.stale = c.now(), false }

// note marks the catalog stale when an object carries a property it does
// not know. shape.fill calls it only for an object with a property its
// fields lack: a map access per property, for every object, was 13 % of
// the plugin's CPU in a wide snapshot.
func (c *catalog) note(names []string) {
	if c == nil || c.stale || c.defs == nil {
		return
	}
	for _, name := range names {
		if _, ok := c.defs[name]; ok || c.unknown[name] || slices.Contains(c.required, name) {
			continue
		}
		if c.unknown == nil {
			c.unknown = map[string]bool{}
		}
		c.unknown[name], c.stale = true, true
	}
}

// refusedError says that the properties API refused the token, and what
// the source reads instead; the source goes on.
type refusedError struct {
	objectType string
	err        error
}

func (e *refusedError) Error() string {
	// The scope's name is HubSpot's per type (crm.schemas.contacts.read,
	// ...): not made up here.
	return fmt.Sprintf("the token may not read the properties of %s (a crm.schemas.*.read scope of the type): reading the default properties as strings: %v", e.objectType, e.err)
}

func (e *refusedError) Unwrap() error { return e.err }

// definition returns the property's definition, if HubSpot listed it.
func (c *catalog) definition(name string) (hubspot.Property, bool) {
	p, ok := c.defs[name]
	return p, ok
}

// typedNames are property names a user typed into param.
type typedNames struct {
	param string
	names []string
}

// check fails for a typed name HubSpot does not list for the type: read as
// is, it would be a field that is always null. Where the token may not
// list the properties, nothing is known to check against: it warns, once,
// at Open.
func (c *catalog) check(ctx context.Context, typed typedNames) error {
	if c == nil || len(typed.names) == 0 {
		return nil
	}
	if c.refused {
		sdk.Logger(ctx).Warn().Str("parameter", typed.param).
			Msgf("hubspot source: the names in %q are not checked: the token may not list the properties of %s", typed.param, c.objectType)
		return nil
	}
	known := make([]string, 0, len(c.defs))
	for name := range c.defs {
		known = append(known, name)
	}
	slices.Sort(known)
	// Two edits: property names are long, and a transposed pair
	// ("lastnmae") is two.
	return config.CheckNames(typed.param, c.objectType+" has no property", typed.names, known, 2)
}
