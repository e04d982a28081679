package source

import (
	"context"
	"errors"
	"fmt"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/conduitio/conduit-connector-sdk/schema"
	"github.com/hamba/avro/v2"
)

// shape is what the records of an object type look like: each property's
// value typed by its definition, and the key and payload schemas that say
// so, registered with Conduit's schema registry. It follows the catalog: a
// property added or archived makes a new payload schema version.
type shape struct {
	resource string
	// links are the types whose links the payloads carry; none without
	// associations.
	links []string
	// generation is the catalog's generation the schemas were built for.
	generation int
	fields     []field         // each name read, its definition and its field
	known      map[string]bool // the properties of fields
	key        schema.Schema
	payload    schema.Schema
	merged     schema.Schema // the payload of a merged object's delete
	// out writes the payloads in Avro.
	out payloadWriter
	// catalog is told of a record's properties the fields lack (nil: the
	// fields are fixed).
	catalog *catalog
	// columns are the catalog's when the fields were built, in the fields'
	// order: an item read by them has its values in the fields' order.
	columns *hubspot.Columns
	// unparsable are the properties a value of which did not parse: each
	// is logged once (pending, until a step has a context to log with).
	unparsable map[string]bool
	pending    []*typed.ParseError
}

func newShape(resource string) *shape {
	return &shape{resource: resource, generation: -1, unparsable: map[string]bool{}}
}

// field is a property read, the kind its definition types it as, and the
// name of its field in the payload (computed once per schema, not per
// record).
type field struct {
	property string
	name     string
	kind     typed.Kind
	slot     int // its place in the payload schema's fields
}

// Subjects of the schemas in Conduit's registry, as the SDK's own schema
// extraction names them: the collection, then key or payload.
func (s *shape) keySubject() string     { return s.resource + ".key" }
func (s *shape) payloadSubject() string { return s.resource + ".payload" }
func (s *shape) mergedSubject() string  { return s.resource + ".merged" }

// update builds and registers the schemas when the catalog changed since
// they were built. A name HubSpot does not define (a configured property
// HubSpot does not list) is a string, as HubSpot sends every value.
func (s *shape) update(ctx context.Context, c *catalog) error {
	s.catalog = c
	if c.generation == s.generation {
		return nil
	}
	props := make([]hubspot.Property, 0, len(c.names))
	for _, name := range c.names {
		p, ok := c.definition(name)
		if !ok {
			p = hubspot.Property{Name: name, Type: "string", FieldType: "text"}
		}
		props = append(props, p)
	}
	if err := s.build(ctx, props, c.generation); err != nil {
		return err
	}
	s.columns = c.columns
	return nil
}

// fix builds and registers the schemas of a resource whose fields are
// fixed (the CMS resources), once.
func (s *shape) fix(ctx context.Context, props []hubspot.Property) error {
	if s.generation == 0 {
		return nil
	}
	return s.build(ctx, props, 0)
}

// build makes the schemas of props, registers them and types the records
// by them from now on, as of the catalog's generation.
func (s *shape) build(ctx context.Context, props []hubspot.Property, generation int) error {
	fields := make([]field, 0, len(props))
	known := make(map[string]bool, len(props))
	for _, p := range props {
		fields = append(fields, field{property: p.Name, name: typed.FieldName(p.Name), kind: typed.KindOf(p)})
		known[p.Name] = true
	}
	if s.key.Subject == "" {
		ks, err := typed.KeySchema(s.resource)
		if err != nil {
			return err
		}
		if s.key, err = register(ctx, s.keySubject(), ks); err != nil {
			return err
		}
		ms, err := typed.MergedSchema(s.resource)
		if err != nil {
			return err
		}
		if s.merged, err = register(ctx, s.mergedSubject(), ms); err != nil {
			return err
		}
	}
	var extra []*avro.Field
	if len(s.links) > 0 {
		f, err := typed.AssociationsField(s.resource, s.links)
		if err != nil {
			return err
		}
		extra = append(extra, f)
	}
	ps, err := typed.ValueSchema(s.resource, props, extra...)
	if err != nil {
		return fmt.Errorf("payload schema of %s: %w", s.resource, err)
	}
	payload, err := register(ctx, s.payloadSubject(), ps)
	if err != nil {
		return err
	}
	out, err := newPayloadWriter(payload)
	if err != nil {
		return fmt.Errorf("payload schema of %s: %w", s.resource, err)
	}
	for i := range fields {
		fields[i].slot = out.slot[fields[i].name]
	}
	if payload.Version != s.payload.Version && s.payload.Version != 0 {
		sdk.Logger(ctx).Info().
			Str("subject", payload.Subject).Int("version", payload.Version).Int("properties", len(props)).
			Msg("hubspot source: the properties changed, records carry a new payload schema version")
	}
	s.fields, s.known, s.payload, s.out, s.generation = fields, known, payload, out, generation
	return nil
}

// register creates a schema version in Conduit's registry (an identical
// schema gets the version it had).
func register(ctx context.Context, subject string, sch interface{ String() string }) (schema.Schema, error) {
	out, err := schema.Create(ctx, schema.TypeAvro, subject, []byte(sch.String()))
	if err != nil {
		return schema.Schema{}, fmt.Errorf("register the schema %s: %w", subject, err)
	}
	return out, nil
}

// encode returns the item's payload in Avro by the payload schema, every
// property typed, and the raw text of the values that did not parse as
// their type, by property: their fields are null, so that the record
// still encodes with its schema. A property the schema does not have yet
// (HubSpot sent one the catalog did not know: it lists the properties
// again at once) is kept there too, so that no value is lost before the
// next schema version has its field.
//
// The source writes the Avro itself, as the SDK's encoding middleware
// would write the typed payload (TestPayloadAsTheSDKEncodes), rather than
// handing that middleware a map: making the map of 607 values and looking
// each up again to write it took 16 % of the plugin's CPU in a wide
// snapshot (hubspot-bench -only pluginCPU -cpuprofile).
func (s *shape) encode(it item) (opencdc.RawData, map[string]string, error) {
	raw := s.fill(it)
	b, err := s.out.write()
	if err != nil {
		return nil, nil, fmt.Errorf("encode %s %s: %w", s.resource, it.id, err)
	}
	return b, raw, nil
}

// fill types the item's values into the payload writer's slots, and
// returns the raw text of those that did not parse (see encode).
func (s *shape) fill(it item) map[string]string {
	vals := s.out.vals
	// Read by the columns the fields were built from, the item has its
	// values in the fields' order: a lookup by name per property was 13 %
	// of the plugin's CPU in a wide snapshot (hubspot-bench -only
	// pluginCPU -cpuprofile).
	byColumn := it.row.Columns != nil && it.row.Columns == s.columns
	var raw map[string]string
	present := 0
	for i, f := range s.fields {
		name := f.property
		var text *string
		if byColumn {
			text = it.row.Values[i]
		} else {
			var ok bool
			if text, ok = it.row.Get(name); ok {
				present++
			}
		}
		v, err := f.kind.Parse(name, text)
		var perr *typed.ParseError
		if errors.As(err, &perr) {
			if raw == nil {
				raw = map[string]string{}
			}
			raw[name] = perr.Raw
			if !s.unparsable[name] {
				s.unparsable[name] = true
				s.pending = append(s.pending, perr)
			}
			v = nil
		}
		vals[f.slot] = v
	}
	if (byColumn && len(it.row.Properties) > 0) || (!byColumn && present < it.row.Len()) {
		// Only then can a name be one the catalog lacks: noting every
		// object's properties took 13 % of the plugin's CPU in a wide
		// snapshot, a map access per property (hubspot-bench -only
		// pluginCPU -cpuprofile).
		raw = s.keepUnknown(it, raw)
	}
	at := s.out.at
	vals[at.id] = it.id
	vals[at.createdAt] = it.createdAt
	vals[at.updatedAt] = it.versionTS()
	vals[at.archivedAt] = nil
	if it.archivedAt != nil {
		vals[at.archivedAt] = it.archivedAt.UTC()
	}
	if len(s.links) > 0 {
		vals[at.associations] = linksValue(it.links, s.links)
	}
	return raw
}

// keepUnknown tells the catalog of the item's properties, and adds to raw
// the values of those the fields lack.
func (s *shape) keepUnknown(it item, raw map[string]string) map[string]string {
	names := make([]string, 0, it.row.Len())
	it.row.Each(func(name string, v *string) {
		names = append(names, name)
		if s.known[name] || v == nil {
			return
		}
		if raw == nil {
			raw = map[string]string{}
		}
		raw[name] = *v
	})
	s.catalog.note(names)
	return raw
}

// logUnparsable logs, once per property, that a value did not parse.
func (s *shape) logUnparsable(ctx context.Context) {
	for _, e := range s.pending {
		sdk.Logger(ctx).Warn().
			Str("resource", s.resource).Str("property", e.Property).Str("type", e.Kind.String()).
			Err(e).
			Msgf("hubspot source: a value of %s does not parse as its type; its field is null and the raw text is in the record's metadata %s%s (logged once per property)",
				e.Property, record.MetadataRawPrefix, e.Property)
	}
	s.pending = s.pending[:0]
}

// attach names the record's schemas in its metadata, as Conduit expects.
func (s *shape) attach(rec opencdc.Record) {
	attachSchemas(rec, s.key, s.payload)
}

// attachMerged names the schemas of a merged object's delete.
func (s *shape) attachMerged(rec opencdc.Record) {
	attachSchemas(rec, s.key, s.merged)
}
