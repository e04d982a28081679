package hubspot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// UnmarshalJSON reads an object of string or null values, as HubSpot sends
// properties, and decodes what encoding/json would into a
// map[string]*string (the same strings, the same errors for other values).
// Reading objects is where a wide snapshot spends its time (hundreds of
// properties a record), so this is one pass without reflection: the names
// and the values that need no unescaping are substrings of one copy of the
// input, and the values share one slab, so a page costs a few allocations
// per object instead of two or three per property. Values with escapes or
// bytes that are not UTF-8 go through encoding/json, which has the last
// word on them.
func (p *Properties) UnmarshalJSON(data []byte) error {
	d := propsDecoder{data: data, src: string(data)}
	d.space()
	if d.literal("null") {
		return nil // as encoding/json: null leaves the map as it was
	}
	n := bytes.Count(data, []byte(`":`)) // an upper bound, for the sizes
	if err := d.properties(p, n); err != nil {
		return err
	}
	return d.end()
}

// properties reads an object of string or null values into p, made with
// room for n names when nil.
func (d *propsDecoder) properties(p *Properties, n int) error {
	if *p == nil {
		*p = make(Properties, n)
	}
	return d.values(n, func(name string, v *string) { (*p)[name] = v })
}

// row reads an object of string or null values into o.Values, by
// d.columns, and the names that are not columns into o.Properties. The
// names come in the order they were asked in, as a rule, so each is first
// compared with the column after the last one's, which saves hashing it.
func (d *propsDecoder) row(o *Object) error {
	cols := d.columns
	next := 0
	return d.values(len(cols.names), func(name string, v *string) {
		at := next
		if at >= len(cols.names) || cols.names[at] != name {
			var ok bool
			if at, ok = cols.index[name]; !ok {
				if o.Properties == nil {
					o.Properties = Properties{}
				}
				o.Properties[name] = v
				return
			}
		}
		o.Values[at] = v
		next = at + 1
	})
}

// values reads an object of string or null values, giving each name and
// value (nil for null) to store; the values share one slab, of room for n.
func (d *propsDecoder) values(n int, store func(name string, v *string)) error {
	if !d.byte('{') {
		return errors.New("properties: not a JSON object")
	}
	slab := make([]string, 0, n)
	d.space()
	if d.byte('}') {
		return nil
	}
	for {
		d.space()
		name, err := d.string()
		if err != nil {
			return fmt.Errorf("properties: a name: %w", err)
		}
		d.space()
		if !d.byte(':') {
			return fmt.Errorf("properties: no ':' after %q", name)
		}
		d.space()
		switch {
		case d.literal("null"):
			store(name, nil)
		case d.peek() == '"':
			v, err := d.string()
			if err != nil {
				return fmt.Errorf("properties: the value of %q: %w", name, err)
			}
			if len(slab) == cap(slab) {
				// More values than n: a new slab, as append would make,
				// but the values stored keep pointing into the old one.
				slab = make([]string, 0, 2*cap(slab)+1)
			}
			slab = append(slab, v)
			store(name, &slab[len(slab)-1])
		default:
			return fmt.Errorf("properties: the value of %q is neither a string nor null", name)
		}
		d.space()
		if d.byte('}') {
			return nil
		}
		if !d.byte(',') {
			return fmt.Errorf("properties: no ',' or '}' after %q", name)
		}
	}
}

// propsDecoder reads data from i on; src is data as one string, which the
// strings read are cut from.
type propsDecoder struct {
	data []byte
	src  string
	i    int
	// columns, when set, are those the objects hold their values by.
	columns *Columns
}

func (d *propsDecoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *propsDecoder) peek() byte {
	if d.i < len(d.data) {
		return d.data[d.i]
	}
	return 0
}

// byte consumes c if it comes next.
func (d *propsDecoder) byte(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.i++
	return true
}

// literal consumes lit if it comes next.
func (d *propsDecoder) literal(lit string) bool {
	if !bytes.HasPrefix(d.data[d.i:], []byte(lit)) {
		return false
	}
	d.i += len(lit)
	return true
}

// end checks that nothing but space follows the object.
func (d *propsDecoder) end() error {
	d.space()
	if d.i != len(d.data) {
		return errors.New("properties: data after the object")
	}
	return nil
}

// string reads a JSON string.
func (d *propsDecoder) string() (string, error) {
	if !d.byte('"') {
		return "", errors.New("not a string")
	}
	start := d.i
	plain := true // no escapes, ASCII or valid UTF-8
	ascii := true
	for ; d.i < len(d.data); d.i++ {
		switch c := d.data[d.i]; {
		case c == '"':
			s := d.src[start:d.i]
			d.i++
			if plain && (ascii || utf8.ValidString(s)) {
				return s, nil
			}
			if !plain {
				if out, ok := unescape(s); ok {
					return out, nil
				}
			}
			var out string
			if err := json.Unmarshal(d.data[start-1:d.i], &out); err != nil {
				return "", fmt.Errorf("decode a string: %w", err)
			}
			return out, nil
		case c == '\\':
			plain = false
			d.i++ // the escaped byte cannot end the string
		case c < 0x20:
			return "", errors.New("a control character in a string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", errors.New("a string without its end")
}

// unescape decodes the escapes in a JSON string's content as encoding/json
// does, for the strings HubSpot writes (a line break, a quote): a CPU
// profile of the plugin's wide snapshot put encoding/json.Unmarshal, which
// string called for every string with an escape, at 6 % of its CPU. False
// leaves to encoding/json what takes more than that: bytes that are not
// UTF-8, a surrogate (\ud83d), an escape JSON does not have.
func unescape(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		if i++; i == len(s) {
			return "", false
		}
		switch s[i] {
		case '"', '\\', '/':
			b = append(b, s[i])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if i+5 > len(s) {
				return "", false
			}
			r, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil || utf16.IsSurrogate(rune(r)) {
				return "", false
			}
			b = utf8.AppendRune(b, rune(r))
			i += 4
		default:
			return "", false
		}
	}
	return string(b), true
}
