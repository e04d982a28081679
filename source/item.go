package source

import (
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/conduitio/conduit-connector-sdk/schema"
)

// item is an object or an owner as the source emits it.
type item struct {
	id  string
	key keyset // (last-modified time, id)
	// readAt, when set, is the last-modified time of the version props
	// hold, where it is newer than key's: a slim search's batch read
	// (slimsearch.go) may read a version newer than the one the search
	// showed, whose time moves the scans' cursors.
	readAt time.Time
	// row is the properties' values: by column for an object read by
	// columns (hubspot.Columns).
	row        hubspot.Row
	createdAt  time.Time
	archivedAt *time.Time
	// links are the objects linked to it, by type, when the source reads
	// associations (links.go); nil otherwise.
	links map[string][]hubspot.Link
}

// versionTS is the last-modified time of the version it holds: the one
// the history remembers as emitted, so that a search that later shows
// that version does not emit it again.
func (it item) versionTS() time.Time {
	if it.readAt.After(it.key.ts) {
		return it.readAt
	}
	return it.key.ts
}

// objectItem reads what the source needs of an object. Its last-modified
// time is the resource's modified property, which HubSpot keeps in step
// with updatedAt and which search filters on.
func objectItem(r hubspot.Resource, o hubspot.Object) (item, error) {
	id, err := parseID(o.ID)
	if err != nil {
		return item{}, err
	}
	modified := o.UpdatedAt
	if v, ok := o.Value(r.ModifiedProperty); ok {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return item{}, fmt.Errorf("object %s: %s %q is not a time: %w", o.ID, r.ModifiedProperty, v, err)
		}
		modified = t
	}
	return item{
		id: o.ID, key: keyset{ts: modified.UTC(), id: id}, row: o.Row(),
		createdAt: o.CreatedAt.UTC(), archivedAt: o.ArchivedAt,
	}, nil
}

// ownerItem turns an owner into an item with its fields as properties.
func ownerItem(o hubspot.Owner) (item, error) {
	id, err := parseID(o.ID)
	if err != nil {
		return item{}, err
	}
	props := hubspot.Properties{
		"email":     hubspot.String(o.Email),
		"firstName": hubspot.String(o.FirstName),
		"lastName":  hubspot.String(o.LastName),
		"type":      hubspot.String(o.Type),
		"archived":  hubspot.String(strconv.FormatBool(o.Archived)),
	}
	if o.UserID != 0 {
		props["userId"] = hubspot.String(strconv.FormatInt(o.UserID, 10))
	}
	return item{id: o.ID, key: keyset{ts: o.UpdatedAt.UTC(), id: id}, row: hubspot.Row{Properties: props}, createdAt: o.CreatedAt.UTC()}, nil
}

func (it item) recordKey() opencdc.Data { return opencdc.StructuredData{record.FieldID: it.id} }

// payload is the object's properties (strings, or nil for null) and its id
// and times.
func (it item) payload() opencdc.Data {
	d := make(opencdc.StructuredData, it.row.Len()+4)
	it.row.Each(func(name string, v *string) {
		if v == nil {
			d[name] = nil
		} else {
			d[name] = *v
		}
	})
	d[record.FieldID] = it.id
	d[record.FieldCreatedAt] = record.FormatTime(it.createdAt)
	d[record.FieldUpdatedAt] = record.FormatTime(it.versionTS())
	if it.archivedAt != nil {
		d[record.FieldArchivedAt] = record.FormatTime(*it.archivedAt)
	}
	return d
}

func (it item) metadata(collection string) opencdc.Metadata {
	m := opencdc.Metadata{
		record.MetadataCreatedAt: record.FormatTime(it.createdAt),
		record.MetadataUpdatedAt: record.FormatTime(it.versionTS()),
	}
	m.SetCollection(collection)
	changed := it.key.ts
	if it.archivedAt != nil {
		changed = *it.archivedAt
		m[record.MetadataArchivedAt] = record.FormatTime(*it.archivedAt)
	}
	m.SetCreatedAt(changed)
	return m
}

// mergedIDs returns the ids of the objects merged into the item.
func (it item) mergedIDs() []string {
	var v string
	if p, _ := it.row.Get(hubspot.MergedIDsProperty); p != nil {
		v = *p
	}
	var ids []string
	for _, id := range strings.Split(v, ";") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// newMergeDelete builds the delete of an object that was merged into
// survivor: HubSpot keeps nothing of it but its id.
func newMergeDelete(pos Position, collection, id string, survivor item, sh *shape) (opencdc.Record, error) {
	p, err := pos.marshal()
	if err != nil {
		return opencdc.Record{}, err
	}
	m := opencdc.Metadata{record.MetadataMergedInto: survivor.id}
	m.SetCollection(collection)
	m.SetCreatedAt(survivor.key.ts)
	key := opencdc.StructuredData{record.FieldID: id}
	payload := opencdc.StructuredData{record.FieldID: id, record.FieldMergedInto: survivor.id}
	rec := sdk.Util.Source.NewRecordDelete(p, m, key, payload)
	if sh != nil {
		sh.attachMerged(rec)
	}
	return rec, nil
}

// recordOf builds a record of the operation with sdk.Util: every
// resource's records are made here, so that each says its operation alike.
func recordOf(op opencdc.Operation, p opencdc.Position, meta opencdc.Metadata, key, payload opencdc.Data) (opencdc.Record, error) {
	switch op {
	case opencdc.OperationSnapshot:
		return sdk.Util.Source.NewRecordSnapshot(p, meta, key, payload), nil
	case opencdc.OperationCreate:
		return sdk.Util.Source.NewRecordCreate(p, meta, key, payload), nil
	case opencdc.OperationUpdate:
		return sdk.Util.Source.NewRecordUpdate(p, meta, key, nil, payload), nil
	case opencdc.OperationDelete:
		return sdk.Util.Source.NewRecordDelete(p, meta, key, payload), nil
	default:
		return opencdc.Record{}, fmt.Errorf("operation %v is not one the source emits", op)
	}
}

// attachSchemas names the record's key and payload schemas in its
// metadata, as Conduit expects.
func attachSchemas(rec opencdc.Record, key, payload schema.Schema) {
	schema.AttachKeySchemaToRecord(rec, key)
	schema.AttachPayloadSchemaToRecord(rec, payload)
}

// newRecord builds the record of one item at a position, typed and with
// its schemas by sh (nil: the values as HubSpot sent them).
func newRecord(op opencdc.Operation, pos Position, collection string, it item, sh *shape) (opencdc.Record, error) {
	p, err := pos.marshal()
	if err != nil {
		return opencdc.Record{}, err
	}
	meta := it.metadata(collection)
	var payload opencdc.Data
	if sh == nil {
		payload = it.payload()
	} else {
		encoded, raw, err := sh.encode(it)
		if err != nil {
			return opencdc.Record{}, err
		}
		for name, text := range raw {
			meta[record.MetadataRawPrefix+name] = text
		}
		payload = encoded
	}
	rec, err := recordOf(op, p, meta, it.recordKey(), payload)
	if err != nil {
		return opencdc.Record{}, err
	}
	if sh != nil {
		sh.attach(rec)
	}
	return rec, nil
}

// sum is a digest of the item's property values: two versions that share a
// last-modified millisecond still differ in it. Each property is hashed on
// its own (its name and its value apart, so that no two properties hash
// the same bytes, and null apart from "") and the hashes are added up, so
// that the digest does not depend on the map's order without sorting
// hundreds of names per object. A null property adds nothing: a version
// read with a property the catalog did not list yet (null in it) is the
// version read without it, not a new one. Digests live in this process
// only (history.seen), so the hash is maphash's, seeded once per process:
// FNV-1a, a byte at a time, took 5 % of the plugin's CPU on contacts of
// 607 properties.
func (it item) sum() uint64 {
	var total uint64
	it.row.Each(func(name string, v *string) {
		if v != nil {
			total += mix(maphash.String(sumSeed, name) ^ mix(maphash.String(sumSeed, *v)+uint64(len(*v))+1))
		}
	})
	return total
}

// stableSum is a digest of an item's values that is the same in every
// process (item.sum is not), for the digests positions keep across
// restarts: those of lists and of pipelines and stages, whose records are
// few, so FNV-1a's cost does not matter.
func stableSum(props hubspot.Properties) string {
	h := fnv.New64a()
	for _, name := range slices.Sorted(maps.Keys(props)) {
		v, _ := props.Get(name)
		fmt.Fprintf(h, "%d:%s=%d:%s;", len(name), name, len(v), v)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// sumSeed seeds sum's hashes; it is set once, when the process starts.
var sumSeed = maphash.MakeSeed() //nolint:gochecknoglobals // immutable after start

// mix spreads a hash's bits (splitmix64's finalizer), so that a sum of
// hashes does not cancel out along the hashes' patterns.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// version is what the source emitted of one object last: its last-modified
// time, and the digests of the versions emitted with that time.
type version struct {
	ts   time.Time
	sums []uint64
}

// older reports whether a version with time ts and digest sum is one the
// source has not emitted yet, and not older than what it has: a newer time,
// or another version within the same millisecond.
func (v version) older(ts time.Time, sum uint64) bool {
	if !ts.Equal(v.ts) {
		return ts.After(v.ts)
	}
	return !slices.Contains(v.sums, sum)
}

// with returns v with the version (ts, sum) emitted.
func (v version) with(ts time.Time, sum uint64) version {
	if !ts.Equal(v.ts) {
		return version{ts: ts, sums: []uint64{sum}}
	}
	return version{ts: ts, sums: append(slices.Clone(v.sums), sum)}
}
