package hubspottest

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// compareValues orders a stored value against a filter value by the
// property's type: numbers and times numerically (times as epoch
// milliseconds), everything else as case-insensitive text.
func compareValues(typ, stored, want string) (int, error) {
	w, err := parseValue(typ, want)
	if err != nil {
		return 0, err
	}
	// Stored values were normalized on write, so they parse.
	a, _ := parseValue(typ, stored)
	return compareParsed(typ, a, w), nil
}

// parsedValue is a value in the form compareValues orders it by.
type parsedValue struct {
	number float64
	millis int64
	text   string
}

func parseValue(typ, v string) (parsedValue, error) {
	switch typ {
	case TypeNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return parsedValue{}, fmt.Errorf("%q is not a number", v)
		}
		return parsedValue{number: n}, nil
	case TypeDateTime, TypeDate:
		if ms, ok := storedMillis(v); ok {
			return parsedValue{millis: ms}, nil
		}
		ms, err := instantMillis(v)
		if err != nil {
			return parsedValue{}, fmt.Errorf("%q is not a date: use epoch milliseconds", v)
		}
		return parsedValue{millis: ms}, nil
	default:
		return parsedValue{text: strings.ToLower(v)}, nil
	}
}

func compareParsed(typ string, a, b parsedValue) int {
	switch typ {
	case TypeNumber:
		return cmp.Compare(a.number, b.number)
	case TypeDateTime, TypeDate:
		return cmp.Compare(a.millis, b.millis)
	default:
		return strings.Compare(a.text, b.text)
	}
}

// wantedValues holds a search's filter values parsed, each once: a search
// compares them with every object of the index.
type wantedValues map[[2]string]wantedValue

type wantedValue struct {
	v   parsedValue
	err error
}

// compare is compareValues with want parsed once per search, and the
// stored value parsed by stored (when the parse is needed).
func (w wantedValues) compare(typ string, stored func() parsedValue, want string) (int, error) {
	key := [2]string{typ, want}
	wv, ok := w[key]
	if !ok {
		wv.v, wv.err = parseValue(typ, want)
		w[key] = wv
	}
	if wv.err != nil {
		return 0, wv.err
	}
	return compareParsed(typ, stored(), wv.v), nil
}

// searchKeys are a version's values of the properties the source's
// searches filter and sort on (the type's created and modified properties
// and hs_object_id), parsed when the version is indexed: a search compares
// them for every object the type holds, and a lookup in a map of 600
// properties and a parse for each made the simulator's searches of 100,000
// contacts its largest cost.
// They are kept in the version, not behind a pointer, so that a scan
// reads them where it reads the version.
type searchKeys struct {
	set  bool
	keys [3]searchKey
}

type searchKey struct {
	typ     string // the property's type it was parsed as
	raw     string
	present bool // in props, "" or not
	parsed  parsedValue
}

func searchKeyNames(t *objectType) [3]string {
	return [...]string{t.created, t.modified, "hs_object_id"}
}

func newSearchKeys(t *objectType, props values) searchKeys {
	k := searchKeys{set: true}
	for i, name := range searchKeyNames(t) {
		key := &k.keys[i]
		key.typ = t.byName[name].Type
		key.raw, key.present = props.get(name)
		key.parsed, _ = parseValue(key.typ, key.raw)
	}
	return k
}

// of is p's key, if it is one of t's and p's type is the one it was
// parsed as.
func (k *searchKeys) of(t *objectType, p PropertyDef) (searchKey, bool) {
	if !k.set {
		return searchKey{}, false
	}
	for i, name := range searchKeyNames(t) {
		if name == p.Name && k.keys[i].typ == p.Type {
			return k.keys[i], true
		}
	}
	return searchKey{}, false
}

func instantMillis(v string) (int64, error) {
	t, err := parseInstant(v)
	if err != nil {
		d, err2 := time.Parse(time.DateOnly, v)
		if err2 != nil {
			return 0, err
		}
		t = d
	}
	return t.UnixMilli(), nil
}

// storedMillis reads a time the way the simulator stores it, as
// formatTime (2006-01-02T15:04:05.000Z) or a date (2006-01-02) writes it,
// without time.Parse: a search compares a time of every object it holds.
// Anything else, a field out of its range included, is left to
// instantMillis.
func storedMillis(v string) (int64, bool) {
	num := func(from, to int) int {
		n := 0
		for _, c := range []byte(v[from:to]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	if len(v) != len(time.DateOnly) && len(v) != len(hubspotTime) || v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, milli := 0, 0, 0, 0
	if len(v) == len(hubspotTime) {
		if v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != '.' || v[23] != 'Z' {
			return 0, false
		}
		hour, minute, sec, milli = num(11, 13), num(14, 16), num(17, 19), num(20, 23)
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
		sec < 0 || sec > 59 || milli < 0 || day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, milli*int(time.Millisecond), time.UTC).UnixMilli(), true
}
