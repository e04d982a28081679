package destination

import (
	"fmt"
	"maps"
	"slices"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
)

// The idProperty value of a record whose payload has none comes from its
// key only when the key says it is that value: a field named as idProperty,
// or the "id" field of a record of a HubSpot source (the object's own id,
// which a mirror keeps in a custom idProperty). A bare key (raw bytes such as a file
// source's line number, a key naming another field) could be anything, and
// taken as the unique value it would make one object of unrelated records:
// it stands in only with idFromBareKey.

// recordKeyOf is recordKey, but a key of several fields that names
// idProperty is that field's value rather than an error.
func (w *crmWriter) recordKeyOf(r opencdc.Record) (string, error) {
	recKey, err := recordKey(r.Key)
	if err == nil || w.config.IDProperty == "" {
		return recKey, err
	}
	fields, _, ferr := keyFields(r.Key)
	if ferr != nil || fields[w.config.IDProperty] == nil {
		return "", err
	}
	v, err := keyString(fields[w.config.IDProperty])
	if err != nil {
		return "", fmt.Errorf("key field %q: %w", w.config.IDProperty, err)
	}
	return v, nil
}

// keyIDValue is the idProperty value r's key stands in for, or an error
// naming idProperty and where the value was looked for: in (the payload's
// field, "the payload" or "the before image") and the key.
func (w *crmWriter) keyIDValue(r opencdc.Record, in string) (string, error) {
	idProp := w.config.IDProperty
	fields, bare, err := keyFields(r.Key)
	if err != nil {
		return "", err
	}
	if v, err := keyString(fields[idProp]); err != nil {
		return "", fmt.Errorf("key field %q: %w", idProp, err)
	} else if v != "" {
		return v, nil
	}
	// A source's id is no email: it stands in for a HubSpot-kept unique
	// property (contacts' email) only on a delete, where a value of no
	// object deletes nothing (a merged contact's delete holds no email).
	ownValue := slices.Contains(w.resource.UniqueProperties, idProp)
	if fromHubSpot(r) && (r.Operation == opencdc.OperationDelete || !ownValue) {
		if v, err := keyString(fields[record.FieldID]); err == nil && v != "" {
			return v, nil
		}
	}
	if w.config.IDFromBareKey {
		if v, err := recordKey(r.Key); err == nil && v != "" {
			return v, nil
		}
	}
	return "", fmt.Errorf("no value for idProperty %q: none in %s's field %q, and the key %s, so nothing was sent for this record",
		idProp, in, idProp, w.describeKey(fields, bare))
}

// describeKey says why a key is not the idProperty value.
func (w *crmWriter) describeKey(fields map[string]any, bare string) string {
	optIn := fmt.Sprintf("(%q: true lets a bare key stand in for it)", KeyIDFromBareKey)
	switch {
	case fields == nil && bare == "":
		return "is empty"
	case fields == nil:
		return fmt.Sprintf("%q is bare bytes, no field %q %s", bare, w.config.IDProperty, optIn)
	case len(fields) == 0:
		return "has no fields"
	default:
		return fmt.Sprintf("has fields %v, none %q %s", slices.Sorted(maps.Keys(fields)), w.config.IDProperty, optIn)
	}
}

// fromHubSpot reports whether r is a record of a HubSpot source, whose key's
// id field is the object's id in the account it was read from: the source
// sets these metadata on every record it reads.
func fromHubSpot(r opencdc.Record) bool {
	_, updated := r.Metadata[record.MetadataUpdatedAt]
	_, merged := r.Metadata[record.MetadataMergedInto]
	return updated || merged
}
