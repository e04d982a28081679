package hubspottest

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// The values of the full catalogue's properties on seeded and lazy objects
// (WithFullPropertyCatalog). They are what HubSpot answers: every value a
// string (docs/hubspot.md, "CRM objects"); numbers integer or decimal;
// bools "true" or "false"; datetimes ISO 8601 UTC with milliseconds
// (docs/hubspot.md, "CRM objects"); dates "YYYY-MM-DD", midnight UTC being the only time a
// date property holds ("Date properties will only store the date, and must
// be set to midnight UTC",
// https://developers.hubspot.com/docs/faq/how-should-timestamps-be-formatted-for-hubspots-apis,
// and HubSpot answers date values as the date alone, as the simulator
// stores them: normalize); enumerations one option's value, or for a
// checkbox several joined by ';' ("a set of options, with options
// separated by a semicolon", https://developers.hubspot.com/docs/api/crm/properties).
// Some properties have no value (absent, JSON null when asked for) and
// some the empty string, which is what a cleared value reads as
// (docs/hubspot.md, "Writing values": "" clears).

// valueBase is the latest instant values are made before.
var valueBase = time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

// noValue reports whether the catalogue leaves a property without values
// on generated objects: the ones every type has, which the simulator sets
// itself; unique ones, whose values must differ; the merge bookkeeping;
// and enumerations without options (hubspot_owner_id, whose values are the
// account's owners).
func noValue(t *objectType, p PropertyDef) bool {
	switch {
	case p.Name == t.created || p.Name == t.modified || p.Name == "hs_object_id" ||
		p.Name == "hs_object_source" || p.Name == "hs_updated_by_user_id":
		return true
	case p.Unique, p.Name == mergedIDsProperty, p.Name == additionalEmailsProperty:
		return true
	case p.Type == TypeEnumeration && len(p.Options) == 0:
		return true
	}
	return false
}

// draw is a fixed pseudo-random number for the i-th object's property.
func draw(name string, i int, salt uint64) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	x := h.Sum64() ^ uint64(i)*0x9e3779b97f4a7c15 ^ salt
	// splitmix64's finaliser spreads the bits.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// catalogValues are the catalogue's values of the i-th generated object of
// a type, for the names given (every property when names is nil), as cfg
// has them: WithUnparsableValues, WithEpochMillisDates.
func catalogValues(t *objectType, i int, names []string, cfg catalogConfig) map[string]string {
	size := len(t.props)
	if names != nil {
		size = len(names)
	}
	out := make(map[string]string, size)
	each := func(p PropertyDef) {
		if noValue(t, p) {
			return
		}
		if v, ok := catalogValue(p, i, cfg); ok {
			out[p.Name] = v
		}
	}
	if names == nil {
		for _, p := range t.props {
			each(p)
		}
		return out
	}
	for _, n := range names {
		if p, ok := t.byName[n]; ok {
			each(p)
		}
	}
	return out
}

// catalogValue is the value of property p on the i-th object, or false for
// none.
func catalogValue(p PropertyDef, i int, cfg catalogConfig) (string, bool) {
	d := draw(p.Name, i, 0)
	switch d % 20 {
	case 0, 1, 2:
		return "", false // no value: null when asked for
	case 3:
		return "", true // cleared
	}
	if cfg.unparsableEvery > 0 && draw(p.Name, i, 1)%uint64(cfg.unparsableEvery) == 0 {
		if v, ok := unparsable(p, d); ok {
			return v, true
		}
	}
	v := wellFormed(p, i, d>>8)
	if cfg.epochMillis && epochMillisProperty(p) {
		v = asEpochMillis(p, v)
	}
	return v, true
}

// epochMillisProperty reports whether WithEpochMillisDates chose p: a
// fixed tenth of the date and datetime properties, by name.
func epochMillisProperty(p PropertyDef) bool {
	return (p.Type == TypeDate || p.Type == TypeDateTime) && draw(p.Name, 0, 2)%10 == 0
}

// asEpochMillis writes a well-formed date or datetime value as epoch
// milliseconds: a date as its midnight UTC.
func asEpochMillis(p PropertyDef, v string) string {
	layout := hubspotTime
	if p.Type == TypeDate {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return v
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// wellFormed is a value of p's type as HubSpot answers it.
func wellFormed(p PropertyDef, i int, d uint64) string {
	pick := func(vs ...string) string { return vs[d%uint64(len(vs))] }
	switch p.Type {
	case TypeNumber:
		return pick("12", "3.5", "-0.25", "0", "1000000", "42.125", "7", "-3", "0.1")
	case TypeBool:
		return pick("true", "false")
	case TypeDateTime:
		return formatTime(valueBase.Add(-time.Duration(d%(2*365*24*3600*1000)) * time.Millisecond))
	case TypeDate:
		return valueBase.AddDate(0, 0, -int(d%3650)).Format(time.DateOnly)
	case TypeEnumeration:
		return optionValue(p, d)
	case TypePhoneNumber:
		return fmt.Sprintf("+1 617-555-%04d", d%10000)
	}
	switch p.FieldType {
	case "textarea":
		return fmt.Sprintf("Line one of %s %d.\nLine two.", p.Label, i)
	case "html":
		return fmt.Sprintf("<p>%s <strong>%d</strong></p>", p.Label, i)
	case "file":
		return fmt.Sprintf("https://f.hubspotusercontent-na1.net/hubfs/1234567/file-%d.pdf", d%100000)
	case "phonenumber":
		return fmt.Sprintf("+44 20 7946 %04d", d%10000)
	}
	switch {
	case strings.Contains(p.Name, "email"):
		return fmt.Sprintf("other%d@example.org", i)
	case strings.Contains(p.Name, "url") || strings.Contains(p.Name, "website"):
		return fmt.Sprintf("https://www.example.com/page/%d", d%1000)
	}
	return fmt.Sprintf("%s %d", p.Label, i)
}

// optionValue is one option's value, or for a checkbox (multi-select) one
// to three of them joined by ';' in the options' order.
func optionValue(p PropertyDef, d uint64) string {
	n := uint64(len(p.Options))
	if p.FieldType != "checkbox" {
		return p.Options[d%n].Value
	}
	var vs []string
	for j, o := range p.Options {
		if (d>>j)&1 == 1 && len(vs) < 3 {
			vs = append(vs, o.Value)
		}
	}
	if len(vs) == 0 {
		vs = append(vs, p.Options[d%n].Value)
	}
	return strings.Join(vs, ";")
}

// unparsable is a value that does not parse as p's type, as imported data
// or values kept from before a property's type was changed hold: HubSpot
// lets users change the field type of some properties after they hold
// values (https://knowledge.hubspot.com/contacts/property-field-types-in-hubspot:
// "For certain field types, you can also edit the property's type or
// options after the property is created"). What HubSpot then answers for
// the old values is not documented; the simulator keeps their text.
func unparsable(p PropertyDef, d uint64) (string, bool) {
	var vs []string
	switch p.Type {
	case TypeNumber:
		vs = []string{"12,5", "n/a", "1.234.567", "$100"}
	case TypeBool:
		vs = []string{"yes", "Y", "no"}
	case TypeDateTime:
		vs = []string{"yesterday", "02/01/2026 10:00", "2026-13-45T00:00:00Z"}
	case TypeDate:
		vs = []string{"01/02/2026", "next week", "2026-02-30"}
	case TypeEnumeration:
		switch {
		case len(p.Options) == 0:
			return "", false // any value is good
		case p.FieldType == "booleancheckbox":
			vs = []string{"yes", "no"}
		default:
			vs = []string{"Imported value", "legacy_option"}
		}
	default:
		return "", false // strings take any text
	}
	return vs[d%uint64(len(vs))], true
}
