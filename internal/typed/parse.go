package typed

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// ErrInexact is the cause of a ParseError for a number that a double
// cannot hold exactly, such as an integer id above 2^53: the field would
// hold another number than HubSpot's, so it holds none and the caller
// keeps the raw text.
var ErrInexact = errors.New("a double cannot hold the number exactly")

// ParseError is a value HubSpot sent that is not a value of its property's
// kind. The caller sets the field to null and keeps Raw elsewhere, so that
// nothing HubSpot holds is lost.
type ParseError struct {
	Property string // the property's name
	Kind     Kind
	Raw      string // the value as HubSpot sent it
	Err      error  // why it does not parse
}

func (e *ParseError) Error() string {
	// The value is cut, so that a long one does not flood a log; Raw
	// keeps it whole.
	const maxShown = 64
	raw := e.Raw
	if len(raw) > maxShown {
		raw = strings.ToValidUTF8(raw[:maxShown], "") + "..."
	}
	return fmt.Sprintf("property %s (%s): value %q: %v", e.Property, e.Kind, raw, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Bounds of the instants Parse and Format take, in epoch milliseconds:
// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, the years RFC 3339
// can write, and so every consumer of the schema too.
const (
	minMillis = -62135596800000
	maxMillis = 253402300799999
)

// inRange reports whether t is within minMillis and maxMillis.
func inRange(t time.Time) bool {
	ms := t.UnixMilli()
	return ms >= minMillis && ms <= maxMillis
}

// Parse returns the typed value of a property from the string HubSpot sent,
// as KindOf(p) types it. Null (nil) is nil, for every kind.
//
// The empty string is how HubSpot writes a cleared value. For a String it
// stays "", distinct from nil: a text HubSpot holds as empty is not one it
// never had. For a List it is the empty list, no option checked. A number,
// bool, date or datetime has no empty value, so "" is nil: the property
// holds no value, and an error would flag every cleared field.
//
// A value that is not one of its kind returns a *ParseError.
func Parse(p hubspot.Property, raw *string) (any, error) {
	return KindOf(p).Parse(p.Name, raw)
}

// Parse is the package's Parse for a property of kind k, for a caller that
// types many values of the same properties: working the kind out of the
// definition for every value was 3 % of the plugin's CPU in a wide
// snapshot (hubspot-bench -only pluginCPU -cpuprofile).
func (k Kind) Parse(property string, raw *string) (any, error) {
	if raw == nil {
		return nil, nil
	}
	v, err := parse(k, *raw)
	if err != nil {
		return nil, &ParseError{Property: property, Kind: k, Raw: *raw, Err: err}
	}
	return v, nil
}

func parse(kind Kind, s string) (any, error) {
	switch kind {
	case String:
		return s, nil
	case List:
		return parseList(s), nil
	}
	if s == "" {
		return nil, nil
	}
	switch kind {
	case Number:
		return parseNumber(s)
	case Bool:
		return parseBool(s)
	case Timestamp:
		return parseTimestamp(s)
	case Date:
		return parseDate(s)
	default:
		return nil, fmt.Errorf("unknown kind %d", kind)
	}
}

// parseList splits a multiple checkbox's options. Empty options, as in a
// leading or doubled ";", are dropped: HubSpot's options have values.
func parseList(s string) []string {
	n := strings.Count(s, ";") + 1
	out := make([]string, 0, n)
	for opt := range strings.SplitSeq(s, ";") {
		if opt != "" {
			out = append(out, opt)
		}
	}
	return out
}

func parseBool(s string) (bool, error) {
	// HubSpot writes "true" and "false"; it takes either case on writes.
	switch {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return false, errors.New("not true or false")
}

// parseNumber reads a decimal number into a double.
//
// A double because HubSpot declares no precision or scale for a number
// property, which may hold 3 in one object and 0.125 in the next: an Avro
// decimal needs both fixed per field, and a string would not be typed.
// Doubles are also what HubSpot itself computes with (its docs: "A number
// value containing numeric digits and at most one decimal"). A number a
// double cannot hold exactly (more than 15 significant digits, such as a
// large integer id) is an ErrInexact, not a rounded value.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	sig, ok := scanDecimal(s)
	if !ok {
		return 0, errors.New("not a decimal number")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("out of range: %w", err)
	}
	if !exact(s, sig, f) {
		return 0, ErrInexact
	}
	return f, nil
}

// exact reports whether the double f stands for the decimal s, which has sig
// significant digits: whether the shortest decimal that reads back as f is
// s's value.
func exact(s string, sig int, f float64) bool {
	const smallestNormal = 0x1p-1022
	// A double holds any decimal of up to 15 significant digits in its
	// normal range (DBL_DIG), so most numbers need no big arithmetic.
	if sig == 0 || (sig <= 15 && math.Abs(f) >= smallestNormal) {
		return true
	}
	want, ok := new(big.Rat).SetString(s)
	if !ok {
		return false
	}
	got, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return ok && want.Cmp(got) == 0
}

// scanDecimal reports whether s is a decimal number: a sign, digits with at
// most one point, and an exponent, the sign and exponent optional. It also
// returns the number of significant digits of the mantissa, not counting
// leading and trailing zeros. strconv.ParseFloat alone would also take
// "Inf", "NaN", hexadecimal and underscores, none of which is a number
// HubSpot stores.
func scanDecimal(s string) (sig int, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, point := 0, false
	first, last := -1, -1 // positions of the first and last non-zero digit
mantissa:
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if c != '0' {
				if first < 0 {
					first = digits
				}
				last = digits
			}
			digits++
		case c == '.' && !point:
			point = true
		default:
			break mantissa
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return 0, false
		}
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) {
			return 0, false
		}
		for ; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
		}
	}
	if first < 0 {
		return 0, true
	}
	return last - first + 1, true
}

// parseTimestamp reads an instant as HubSpot writes one: ISO 8601 in UTC
// with or without milliseconds, or epoch milliseconds, which HubSpot uses
// for some datetime values (and search filters). A date alone is its
// midnight UTC. The instant is cut to milliseconds, all that HubSpot and
// the schema's timestamp-millis hold.
func parseTimestamp(s string) (time.Time, error) {
	t, err := parseInstant(s)
	if err != nil {
		return time.Time{}, err
	}
	return t.Truncate(time.Millisecond), nil
}

// parseDate reads a day: YYYY-MM-DD, or midnight UTC as epoch milliseconds
// or ISO 8601, the forms HubSpot's docs give for date properties ("Values
// must be represented in UTC time and can be formatted as ISO 8601 strings
// or EPOCH-timestamps in milliseconds (i.e. midnight UTC)",
// https://developers.hubspot.com/docs/api/crm/properties). Any other time
// of day is an error: which day it means depends on a time zone HubSpot
// does not say.
func parseDate(s string) (time.Time, error) {
	t, err := parseInstant(s)
	if err != nil {
		return time.Time{}, err
	}
	if !isMidnight(t) {
		return time.Time{}, errors.New("not midnight UTC")
	}
	return t, nil
}

// parseInstant reads epoch milliseconds, an RFC 3339 instant or a date,
// in UTC.
func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if isEpoch(s) {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("epoch milliseconds: %w", err)
		}
		return fromMillis(ms)
	}
	layout := time.RFC3339Nano // with or without a fraction
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, errors.New("not ISO 8601 nor epoch milliseconds")
	}
	if !inRange(t) {
		return time.Time{}, errors.New("before year 1 or after 9999")
	}
	return t.UTC(), nil
}

// isEpoch reports whether s is an integer, which as a time is epoch
// milliseconds.
func isEpoch(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func fromMillis(ms int64) (time.Time, error) {
	if ms < minMillis || ms > maxMillis {
		return time.Time{}, errors.New("epoch milliseconds before year 1 or after 9999")
	}
	return time.UnixMilli(ms).UTC(), nil
}

func isMidnight(t time.Time) bool {
	return t.Equal(t.UTC().Truncate(24 * time.Hour))
}
