package typed

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
)

// FormatError is a value that cannot be written as its property's type. It
// names the value's Go type and the property's HubSpot type; the caller
// adds the record and the property's name.
type FormatError struct {
	ValueType    string // the value's Go type, as %T writes it
	PropertyType string // the property's HubSpot type, e.g. "number"
	Err          error  // why not
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("a %s cannot be a HubSpot %s property: %v", e.ValueType, e.PropertyType, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }

// Format returns the string HubSpot stores for v as the value of property p.
// It takes the values of any source, not only Parse's: Go numbers of every
// type, json.Number and numeric strings for numbers; bools and "true" or
// "false"; time.Time, RFC 3339 strings, dates and epoch milliseconds for
// datetimes and dates; []string and []any of strings for multiple
// checkboxes; and pointers to any of these.
//
// Null (a nil v or nil pointer) is "", as is "" for any kind: "" is how
// HubSpot clears a value, while a JSON null there changes nothing
// (docs/hubspot.md, "Writing values"), so a source's null clears the property, as
// the destination has always written it.
//
// Numbers are written in plain decimal, never with an exponent, and as
// exactly as given: 1e21 is "1000000000000000000000", and an integer is
// not rounded through a double. Datetimes and dates are epoch milliseconds,
// a date's at midnight UTC, as HubSpot's docs ask ("Values must be
// represented in UTC time and can be formatted as ISO 8601 strings or
// EPOCH-timestamps in milliseconds (i.e. midnight UTC)",
// https://developers.hubspot.com/docs/api/crm/properties).
func Format(p hubspot.Property, v any) (string, error) {
	s, err := format(KindOf(p), v)
	if err != nil {
		return "", &FormatError{ValueType: fmt.Sprintf("%T", v), PropertyType: p.Type, Err: err}
	}
	return s, nil
}

// errList is a list given for a property of one value.
var errList = errors.New("a list for a property of one value")

func format(kind Kind, v any) (string, error) {
	v, err := normalize(v)
	if err != nil {
		return "", err
	}
	if v == nil || v == "" {
		return "", nil
	}
	switch kind {
	case String:
		return formatString(v)
	case Number:
		return formatNumber(v)
	case Bool:
		return formatBool(v)
	case Timestamp:
		t, err := instantOf(v)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(t.UnixMilli(), 10), nil
	case Date:
		t, err := dayOf(v)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(t.UnixMilli(), 10), nil
	case List:
		return formatList(v)
	default:
		return "", fmt.Errorf("unknown kind %d", kind)
	}
}

// normalize reduces v to one of nil, string, bool, json.Number, int64,
// uint64, float64, time.Time and []any, which is all format needs to know.
// The common types take a type switch; named types (type Score int) and
// pointers take reflection.
func normalize(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool, json.Number, int64, uint64, time.Time, []any:
		return v, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%v is not a number HubSpot stores", v)
		}
		return v, nil
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%v is not a number HubSpot stores", v)
		}
		// The float32's own shortest decimal: through float64, 0.1 would
		// be 0.10000000149011612.
		return json.Number(strconv.FormatFloat(float64(v), 'f', -1, 32)), nil
	case int:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case []byte:
		return string(v), nil
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return normalize(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return normalize(rv.Float())
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out, nil
	}
	return nil, errors.New("not a type HubSpot stores")
}

func formatString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case time.Time:
		return record.FormatTime(v), nil
	case []any:
		return "", errList
	}
	return formatNumber(v)
}

func formatNumber(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return plainDecimal(v)
	case json.Number:
		return plainDecimal(string(v))
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case []any:
		return "", errList
	}
	return "", errors.New("not a number")
}

func formatBool(v any) (string, error) {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v), nil
	case string:
		b, err := parseBool(v)
		if err != nil {
			return "", err
		}
		return strconv.FormatBool(b), nil
	case []any:
		return "", errList
	}
	return "", errors.New("not a bool")
}

// instantOf reads an instant from a time, a string Parse takes for a
// datetime, or a number of epoch milliseconds.
func instantOf(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		if !inRange(v) {
			return time.Time{}, errors.New("before year 1 or after 9999")
		}
		return v.UTC(), nil
	case string:
		return parseInstant(v)
	case json.Number:
		return parseInstant(string(v))
	case int64:
		return fromMillis(v)
	case uint64:
		if v > math.MaxInt64 {
			return time.Time{}, errors.New("epoch milliseconds after year 9999")
		}
		return fromMillis(int64(v))
	case float64:
		// JSON decoded without UseNumber makes every number a float64;
		// epoch milliseconds of years 1 to 9999 are exact in one.
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return time.Time{}, errors.New("epoch milliseconds are not a whole number")
		}
		return fromMillis(int64(v))
	case []any:
		return time.Time{}, errList
	}
	return time.Time{}, errors.New("not a time")
}

// dayOf reads a day: a time at midnight, in its own location (a day that a
// database or Avro date holds) or in UTC, or an instant at midnight UTC as
// instantOf reads it. Other times of day are errors, as HubSpot's are: the
// day they mean depends on a time zone.
func dayOf(v any) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		y, m, d := t.Date()
		if day := time.Date(y, m, d, 0, 0, 0, 0, t.Location()); t.Equal(day) {
			v = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
	}
	t, err := instantOf(v)
	if err != nil {
		return time.Time{}, err
	}
	if !isMidnight(t) {
		return time.Time{}, errors.New("not midnight UTC")
	}
	return t, nil
}

// formatList joins a multiple checkbox's options with ";". An option must
// be a non-empty string without ";", or it would write other options than
// it holds. A string is taken as options already joined.
func formatList(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case []any:
		var b strings.Builder
		for i, item := range v {
			opt, ok := item.(string)
			if !ok {
				return "", fmt.Errorf("option %d is a %T, not a string", i, item)
			}
			if opt == "" || strings.Contains(opt, ";") {
				return "", fmt.Errorf("option %d is empty or holds \";\"", i)
			}
			if i > 0 {
				b.WriteByte(';')
			}
			b.WriteString(opt)
		}
		return b.String(), nil
	}
	return "", errors.New("not a list of options")
}

// plainDecimal checks that s is a decimal number that HubSpot's doubles
// can hold and writes it without exponent, sign "+" or leading and trailing
// zeros, digit for digit: "1.5e21" is "1500000000000000000000", "-0.0" is
// "0".
func plainDecimal(s string) (string, error) {
	s = strings.TrimSpace(s)
	sig, ok := scanDecimal(s)
	if !ok {
		return "", errors.New("not a decimal number")
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return "", fmt.Errorf("out of the range of numbers HubSpot stores: %w", err)
	case sig == 0:
		return "0", nil
	case f == 0:
		return "", errors.New("too small for a number HubSpot stores")
	}
	neg := s[0] == '-'
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		if exp, err = strconv.Atoi(s[i+1:]); err != nil {
			return "", fmt.Errorf("exponent: %w", err)
		}
	}
	mant = strings.TrimLeft(mant, "+-")
	// The digits, and where the point is among them.
	point := strings.IndexByte(mant, '.')
	if point < 0 {
		point = len(mant)
	} else {
		mant = mant[:point] + mant[point+1:]
	}
	lead := len(mant) - len(strings.TrimLeft(mant, "0"))
	digits := strings.TrimRight(mant[lead:], "0")
	point += exp - lead // the point's place relative to digits[0]

	var b strings.Builder
	b.Grow(len(digits) + max(point, -point) + 3)
	if neg {
		b.WriteByte('-')
	}
	switch {
	case point <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -point))
		b.WriteString(digits)
	case point >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", point-len(digits)))
	default:
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	}
	return b.String(), nil
}
