package hubspottest

import (
	"unicode/utf8"
)

// fieldList is the properties a request shows (fieldsOf), each name
// written once as the JSON key before its value, with its slot: a page
// writes the same names for each of its objects, and a profile of the
// simulator serving the wide snapshot spent a sixth of its time writing
// them again.
type fieldList struct {
	names []string
	keys  []string // `{"name":` for the first name, `,"name":` for the others
	slots []int    // the names' slots (propSlots) in the versions shown
}

func newFieldList(slots *propSlots, names []string) fieldList {
	f := fieldList{names: names, keys: make([]string, len(names)), slots: make([]int, len(names))}
	var b []byte
	for i, n := range names {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		b = append(appendJSONString(append(b[:0], sep), n), ':')
		f.keys[i] = string(b)
		f.slots[i] = slots.slot(n)
	}
	return f
}

// propsJSON is an object's properties on the wire, in the order of the
// fields asked for (HubSpot documents no order), with a value or null (not
// in props) each. It writes itself without reflection: the wide pages of a
// snapshot hold hundreds of properties per object, and the simulator runs
// in the process of the benchmarks that measure the connector. props is a
// stored version, which no write changes (record.props), of the slots the
// fields were numbered by.
type propsJSON struct {
	fields fieldList
	props  values
}

// MarshalJSON writes the properties as a JSON object.
func (p propsJSON) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

func (p propsJSON) appendJSON(b []byte) []byte {
	if len(p.fields.names) == 0 {
		return append(b, '{', '}')
	}
	for i, slot := range p.fields.slots {
		b = append(b, p.fields.keys[i]...)
		switch v, ok := p.props.at(slot); {
		case ok && p.props.plain(slot):
			b = append(append(append(b, '"'), v...), '"')
		case ok:
			b = appendJSONString(b, v)
		default:
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

// plainJSON reports whether appendJSONString writes c as it is.
func plainJSON(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c < utf8.RuneSelf
}

// plainJSONString reports whether appendJSONString writes s as it is,
// between quotes.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainJSON(s[i]) {
			return false
		}
	}
	return true
}

// appendJSONString appends s as a JSON string as encoding/json's Encoder
// writes a value's MarshalJSON: quotes, backslashes and control characters
// escaped, <, >, & and U+2028, U+2029 too (its HTML escaping, on by
// default), bytes that are not UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainJSON(c) {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(append(b, s[start:i]...), `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
			default:
				i += size
				continue
			}
			i += size
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
