package hubspottest

import (
	"unicode/utf8"
)

// propsJSON is an object's properties on the wire, in the order of the
// fields asked for (HubSpot documents no order), with a value or null
// (set false) each. It writes itself without reflection: the wide pages of
// a snapshot hold hundreds of properties per object, and the simulator
// runs in the process of the benchmarks that measure the connector.
type propsJSON struct {
	names  []string
	values []string
	set    []bool
}

// MarshalJSON writes the properties as a JSON object.
func (p propsJSON) MarshalJSON() ([]byte, error) {
	size := 2
	for i, n := range p.names {
		size += len(n) + len(p.values[i]) + 8
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, n := range p.names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, n)
		b = append(b, ':')
		if p.set[i] {
			b = appendJSONString(b, p.values[i])
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, bytes that are not UTF-8 replaced by U+FFFD,
// as encoding/json writes them.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i++
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
