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

// compare is compareValues with want parsed once per search.
func (w wantedValues) compare(typ, stored, want string) (int, error) {
	key := [2]string{typ, want}
	wv, ok := w[key]
	if !ok {
		wv.v, wv.err = parseValue(typ, want)
		w[key] = wv
	}
	if wv.err != nil {
		return 0, wv.err
	}
	a, _ := parseValue(typ, stored)
	return compareParsed(typ, a, wv.v), nil
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
