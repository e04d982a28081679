package destination

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
)

// Limits HubSpot documents on the values it stores, checked before any
// call so that a value out of range fails its record alone, naming the
// property, instead of costing a call (or a halving of a batch) or being
// stored other than it was sent. docs/hubspot.md, "Limits on values
// written", gives each one's public source.

// maxTextChars is HubSpot's limit on a text property's value set through
// the CRM: "When the value is added through the CRM, the character limit is
// 65,536 characters" (knowledge.hubspot.com/properties/property-field-types-in-hubspot,
// single-line and multi-line text).
const maxTextChars = 65536

// checkValue checks the string s that property p would be sent against
// HubSpot's limits. Number properties need no check here: formatValue
// refuses a number that is not finite or is out of a double's range.
func checkValue(p hubspot.Property, s string) error {
	if err := checkText(s); err != nil {
		return err
	}
	switch p.Type {
	case "string":
		return checkLength(s)
	case "enumeration":
		return checkOption(p, s)
	}
	return nil
}

// checkText refuses text that is not valid UTF-8: JSON is UTF-8 (RFC 8259,
// section 8.1), and Go's encoder would send each bad byte as U+FFFD, so
// that HubSpot would store another value than the record's.
func checkText(s string) error {
	if at := invalidByte(s); at >= 0 {
		return fmt.Errorf("the value is not valid UTF-8 (byte %d is 0x%02x)", at, s[at])
	}
	return nil
}

// invalidByte is the offset of the first byte of s that is not UTF-8, or
// -1.
func invalidByte(s string) int {
	for at := 0; at < len(s); {
		r, size := utf8.DecodeRuneInString(s[at:])
		if r == utf8.RuneError && size <= 1 {
			return at
		}
		at += size
	}
	return -1
}

// textLength counts characters as HubSpot does, in UTF-16 code units:
// a guess (HubSpot's docs do not say how it counts), the stricter of the
// counts, so that a character outside the Basic Multilingual Plane (an
// emoji) counts two.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkOption refuses an enumeration value that is not one of the
// property's options; a multiple-checkbox value is options joined by ";".
// An enumeration without options (hubspot_owner_id, whose values are
// owners) takes any value.
func checkOption(p hubspot.Property, s string) error {
	if len(p.Options) == 0 || s == "" {
		return nil
	}
	parts := []string{s}
	if p.FieldType == "checkbox" {
		parts = strings.Split(s, ";")
	}
	for _, part := range parts {
		if !slices.ContainsFunc(p.Options, func(o hubspot.PropertyOption) bool { return o.Value == part }) {
			return &optionError{value: part, options: p.Options}
		}
	}
	return nil
}

// optionError is a value that is none of an enumeration's options.
type optionError struct {
	value   string
	options []hubspot.PropertyOption
}

func (e *optionError) Error() string {
	return fmt.Sprintf("%q is not one of the property's options (%s)", e.value, optionList(e.options))
}

// optionsFreshFor is how long the options read with the schema are taken
// as HubSpot's: a value that is none of older ones makes the destination
// read the schema again before it refuses the value, since someone may
// have added the option in HubSpot since.
const optionsFreshFor = time.Minute

// checkValueNow is checkValue, with the schema read again when a value is
// no option of a property whose options were read over optionsFreshFor
// ago.
func (w *crmWriter) checkValueNow(ctx context.Context, p hubspot.Property, s string) error {
	err := checkValue(p, s)
	var opt *optionError
	if !errors.As(err, &opt) || w.now().Sub(w.schemaReadAt) < optionsFreshFor {
		return err
	}
	if rerr := w.readSchema(ctx); rerr != nil {
		return fmt.Errorf("%w (and reading the options again failed: %w)", err, rerr)
	}
	return checkValue(w.schema[p.Name], s)
}

// optionList names options for an error: the first ten, and how many more.
func optionList(opts []hubspot.PropertyOption) string {
	const most = 10
	values := make([]string, 0, min(len(opts), most))
	for _, o := range opts[:min(len(opts), most)] {
		values = append(values, fmt.Sprintf("%q", o.Value))
	}
	if len(opts) > most {
		values = append(values, fmt.Sprintf("and %d more", len(opts)-most))
	}
	return strings.Join(values, ", ")
}

// checkRawText refuses a raw JSON payload that is not valid UTF-8 before it
// is decoded, since decoding would turn each bad byte into U+FFFD; the
// error names the first field that holds one ("properties.city" in a
// HubSpot-shaped payload).
func checkRawText(raw []byte) error {
	at := invalidByte(string(raw))
	if at < 0 {
		return nil
	}
	where := "the payload"
	if path := invalidField(raw); path != "" {
		where = fmt.Sprintf("field %q of the payload", path)
	}
	return fmt.Errorf("%s is not valid UTF-8 (byte %d of the payload is 0x%02x)", where, at, raw[at])
}

// invalidField is the path of the first field of a JSON object whose value
// is not valid UTF-8, one level into "properties"; "" when it is not
// found.
func invalidField(raw []byte) string {
	var fields map[string]json.RawMessage // raw messages keep the bytes as sent
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		v := fields[name]
		if utf8.Valid(v) && utf8.ValidString(name) {
			continue
		}
		if name == record.FieldProperties {
			if inner := invalidField(v); inner != "" {
				return name + "." + inner
			}
		}
		return name
	}
	return ""
}

// checkTree is checkText of every string in a structured value (a CMS
// field of JSON), which JSON encoding would otherwise change.
func checkTree(v any) error {
	switch v := v.(type) {
	case string:
		return checkText(v)
	case opencdc.StructuredData:
		return checkTree(map[string]any(v))
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(v)) {
			if err := checkTree(v[name]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	case []any:
		for i, x := range v {
			if err := checkTree(x); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	}
	return nil
}

// checkLinkID checks a linked object's id, a HubSpot id or an idProperty
// value, as the text it is.
func checkLinkID(s string) error {
	if err := checkText(s); err != nil {
		return err
	}
	return checkLength(s)
}

// checkLength refuses text over HubSpot's limit for a text property.
func checkLength(s string) error {
	if n := textLength(s); n > maxTextChars {
		return fmt.Errorf("the value is %d characters long, over HubSpot's limit of %d for a text property", n, maxTextChars)
	}
	return nil
}
