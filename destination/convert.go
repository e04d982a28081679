package destination

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
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
// source's own.
func propertiesOf(data map[string]any) map[string]any {
	if nested, ok := data[record.FieldProperties].(map[string]any); ok {
		return nested
	}
	if nested, ok := data[record.FieldProperties].(opencdc.StructuredData); ok {
		return nested
	}
	props := maps.Clone(data)
	maps.DeleteFunc(props, func(name string, _ any) bool { return record.IsObjectField(name) })
	return props
}

// valueString turns a payload value into what HubSpot stores for the
// property. Null becomes "", which is how HubSpot clears a value: it
// accepts a JSON null and keeps the old value.
func valueString(p hubspot.Property, v any) (*string, error) {
	str := func(s string) (*string, error) { return &s, nil }
	switch v := v.(type) {
	case nil:
		return str("")
	case string:
		return str(v)
	case bool:
		return str(strconv.FormatBool(v))
	case json.Number:
		return number(v.String())
	case float64:
		return floatString(v)
	case float32:
		return floatString(float64(v))
	case time.Time:
		return str(timeString(p, v))
	case *time.Time:
		if v == nil {
			return str("")
		}
		return str(timeString(p, *v))
	case []byte:
		return str(string(v))
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return str(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return str(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Slice, reflect.Array:
		// A multiple checkbox property: HubSpot separates the options with ";".
		parts := make([]string, rv.Len())
		for i := range rv.Len() {
			item := rv.Index(i).Interface()
			if item == nil {
				return nil, errors.New("a list holds null")
			}
			s, err := valueString(p, item)
			if err != nil {
				return nil, err
			}
			parts[i] = *s
		}
		return str(strings.Join(parts, ";"))
	default:
		return nil, fmt.Errorf("a value of type %T cannot be a HubSpot property", v)
	}
}

// number writes a JSON number without exponent noise.
func number(s string) (*string, error) {
	if !strings.ContainsAny(s, "eE") {
		return &s, nil
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return nil, fmt.Errorf("%s is out of the range of numbers HubSpot stores", s)
	}
	f, ok := new(big.Float).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	out := f.Text('f', -1)
	return &out, nil
}

func floatString(f float64) (*string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%v is not a number HubSpot stores", f)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	return &s, nil
}

// timeString writes a time as HubSpot expects for the property: a date as
// YYYY-MM-DD, anything else as an ISO 8601 instant with milliseconds.
func timeString(p hubspot.Property, t time.Time) string {
	if p.Type == "date" {
		return t.UTC().Format(time.DateOnly)
	}
	return record.FormatTime(t)
}

// sameStored reports whether HubSpot's stored value got is the value sent,
// allowing for how HubSpot normalizes numbers, booleans and times.
func sameStored(p hubspot.Property, got, sent string) bool {
	if got == sent {
		return true
	}
	switch p.Type {
	case "number":
		a, errA := strconv.ParseFloat(got, 64)
		b, errB := strconv.ParseFloat(sent, 64)
		return errA == nil && errB == nil && a == b
	case "bool":
		return strings.EqualFold(got, sent)
	case "date", "datetime":
		a, errA := parseStoredTime(got)
		b, errB := parseStoredTime(sent)
		return errA == nil && errB == nil && a.Equal(b)
	}
	return false
}

// parseStoredTime reads a time as HubSpot takes it: epoch milliseconds, an
// ISO 8601 instant or a date.
func parseStoredTime(v string) (time.Time, error) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", v, err)
	}
	return t, nil
}

// recordKey reads the HubSpot id (or idProperty value) from a key:
// structured data with one field (or an "id" field), raw bytes, or a JSON
// object in raw bytes.
func recordKey(k opencdc.Data) (string, error) {
	var fields map[string]any
	switch k := k.(type) {
	case nil:
		return "", nil
	case opencdc.StructuredData:
		fields = k
	case opencdc.RawData:
		raw := strings.TrimSpace(string(k))
		if !strings.HasPrefix(raw, "{") {
			return raw, nil
		}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&fields); err != nil {
			return raw, nil //nolint:nilerr // not JSON: the bytes are the key
		}
	default:
		return "", fmt.Errorf("key of type %T is not supported", k)
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
	s, err := valueString(hubspot.Property{}, v)
	if err != nil {
		return "", fmt.Errorf("key: %w", err)
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}
