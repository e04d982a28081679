package destination

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
)

// recordData reads a payload as a map: structured data, or raw bytes that
// hold a JSON object. Empty payloads are an empty map.
func recordData(d opencdc.Data) (map[string]any, error) {
	switch d := d.(type) {
	case nil:
		return map[string]any{}, nil
	case opencdc.StructuredData:
		return d, nil
	case opencdc.RawData:
		if len(strings.TrimSpace(string(d))) == 0 {
			return map[string]any{}, nil
		}
		if err := checkRawText(d); err != nil {
			return nil, err
		}
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(string(d)))
		dec.UseNumber() // keep numbers as written, without float noise
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("payload is not a JSON object: %w", err)
		}
		return m, nil
	default:
		return nil, fmt.Errorf("payload of type %T is not supported", d)
	}
}

// propertiesOf returns the properties a payload sets: those under
// "properties" when it is HubSpot-shaped, else its fields, less the
// source's own and the links (associations).
func propertiesOf(data map[string]any) map[string]any {
	if nested, ok := data[record.FieldProperties].(map[string]any); ok {
		return nested
	}
	if nested, ok := data[record.FieldProperties].(opencdc.StructuredData); ok {
		return nested
	}
	props := maps.Clone(data)
	maps.DeleteFunc(props, func(name string, _ any) bool {
		return record.IsObjectField(name) || name == record.FieldAssociations
	})
	return props
}

// sameStored reports whether HubSpot's stored value got is the value sent,
// allowing for how HubSpot normalizes values: both are read as typed.Parse
// reads the property's values, so that "1.50" is 1.5, "TRUE" is true and a
// datetime sent as epoch milliseconds is the ISO 8601 instant HubSpot
// answers. Numbers are compared as the doubles HubSpot stores, since
// typed.Parse refuses as inexact a number with more digits than a double
// holds (an integer above 2^53), which HubSpot stores rounded.
func sameStored(p hubspot.Property, got, sent string) bool {
	if got == sent {
		return true
	}
	switch typed.KindOf(p) {
	case typed.String:
		return false
	case typed.Number:
		a, errA := strconv.ParseFloat(strings.TrimSpace(got), 64)
		b, errB := strconv.ParseFloat(strings.TrimSpace(sent), 64)
		return errA == nil && errB == nil && a == b
	}
	a, errA := typed.Parse(p, &got)
	b, errB := typed.Parse(p, &sent)
	if errA != nil || errB != nil {
		return false
	}
	switch a := a.(type) {
	case time.Time:
		b, ok := b.(time.Time)
		return ok && a.Equal(b)
	case []string:
		b, ok := b.([]string)
		return ok && slices.Equal(a, b)
	}
	return a == b
}

// quoteValue shows a value that could not be written, for the record's
// error: quoted as Go quotes it, and cut after 64 bytes, so that a user
// finds the bad value in the DLQ without the record.
func quoteValue(v any) string {
	const most = 64
	s := fmt.Sprintf("%#v", v)
	if str, ok := v.(string); ok {
		s = strconv.Quote(str)
	}
	if len(s) > most {
		s = s[:most] + "…"
	}
	return s
}

// formatValue is typed.Format, with a *big.Rat taken as the decimal it
// holds.
//
// A *big.Rat is how the SDK decodes an Avro decimal (github.com/hamba/avro/v2),
// which is what Conduit's postgres source makes of a numeric column, and
// typed.Format does not take one yet. It becomes the json.Number of its
// exact decimal, or of its nearest double when it has none (1/3), so that
// typed.Format checks and writes it as any number; an error still names
// the *big.Rat.
func formatValue(p hubspot.Property, v any) (string, error) {
	r, ok := v.(*big.Rat)
	if !ok || r == nil {
		return typed.Format(p, v)
	}
	n := json.Number(r.RatString())
	if prec, exact := r.FloatPrec(); exact {
		n = json.Number(r.FloatString(prec))
	} else if f, _ := r.Float64(); !math.IsInf(f, 0) {
		n = json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	}
	s, err := typed.Format(p, n)
	var ferr *typed.FormatError
	if errors.As(err, &ferr) {
		ferr.ValueType = fmt.Sprintf("%T", v)
	}
	return s, err
}

// keyString writes a key's value, of any scalar type, as the string HubSpot
// finds the object by: as formatValue writes it for a string property, so
// that a number key is plain decimal and a null key is "".
func keyString(v any) (string, error) {
	return formatValue(hubspot.Property{Type: "string"}, v)
}

// recordKey reads the HubSpot id (or idProperty value) from a key:
// structured data with one field (or an "id" field), raw bytes, or a JSON
// object in raw bytes.
func recordKey(k opencdc.Data) (string, error) {
	fields, bare, err := keyFields(k)
	if err != nil || fields == nil {
		return bare, err
	}
	var v any
	switch {
	case len(fields) == 0:
		return "", nil
	case fields[record.FieldID] != nil:
		v = fields[record.FieldID]
	case len(fields) == 1:
		for _, x := range fields {
			v = x
		}
	default:
		return "", fmt.Errorf("key has fields %v: want one field, or an id field", slices.Sorted(maps.Keys(fields)))
	}
	s, err := keyString(v)
	if err != nil {
		return "", fmt.Errorf("key: %w", err)
	}
	return s, nil
}

// keyFields reads a key as its fields, structured or a JSON object in raw
// bytes, or else (fields nil) as its bare bytes, trimmed.
func keyFields(k opencdc.Data) (fields map[string]any, bare string, err error) {
	switch k := k.(type) {
	case nil:
		return nil, "", nil
	case opencdc.StructuredData:
		return k, "", nil
	case opencdc.RawData:
		raw := strings.TrimSpace(string(k))
		if !strings.HasPrefix(raw, "{") {
			return nil, raw, nil
		}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&fields); err != nil {
			return nil, raw, nil //nolint:nilerr // not JSON: the bytes are the key
		}
		return fields, "", nil
	default:
		return nil, "", fmt.Errorf("key of type %T is not supported", k)
	}
}
