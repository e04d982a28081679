package hubspot

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// decodeBody decodes a successful answer into out.
//
// Pages of objects (list, search, batch read) are most of what a wide
// snapshot reads, hundreds of properties an object. encoding/json reads
// each page three times before Properties.UnmarshalJSON sees a byte: it
// checks the whole body, then scans each object's properties to find
// their end. A CPU profile of the plugin (hubspot-bench -only pluginCPU)
// put checkValid, decodeState.skip and stateInString at 36 % of its CPU.
// decodeObjects reads such a page in one pass; whatever it does not read
// exactly as encoding/json would (a member it does not know, a value of
// another type, a duplicate, anything malformed) it leaves to
// encoding/json, which then decodes the whole body and has the last word
// on the result and the error.
//
// With cols, the objects hold their values by those columns
// (Object.Values), whichever decodes them.
func decodeBody(body []byte, out any, cols *Columns) error {
	switch p := out.(type) {
	case *SearchPage:
		return decodeObjectPage(body, p, &p.Results, cols)
	case *ObjectPage:
		return decodeObjectPage(body, p, &p.Results, cols)
	case *BatchResult:
		return decodeObjectPage(body, p, &p.Results, cols)
	}
	return json.Unmarshal(body, out) //nolint:wrapcheck // the caller says which answer it was
}

func decodeObjectPage[T any](body []byte, page *T, results *[]Object, cols *Columns) error {
	if decodeObjects(body, page, results, cols) == nil {
		return nil
	}
	var zero T
	*page = zero
	if err := json.Unmarshal(body, page); err != nil {
		return err //nolint:wrapcheck // the caller says which answer it was
	}
	columnize(*results, cols)
	return nil
}

// errNotPlain says that a page holds something decodeObjects leaves to
// encoding/json.
var errNotPlain = errors.New("not a plain page of objects")

// decodeObjects reads a page's results into results and gives its other
// members to encoding/json, to decode into page.
func decodeObjects(body []byte, page any, results *[]Object, cols *Columns) error {
	d := propsDecoder{data: body, src: string(body), columns: cols}
	var rest members
	seen := false
	err := d.members(true, func(key string, raw []byte) error {
		if key != "results" || d.peek() != '[' {
			return rest.add(&d, raw, "results")
		}
		if seen {
			return errNotPlain
		}
		seen = true
		return d.objects(results)
	})
	if err != nil {
		return err
	}
	return rest.decode(page)
}

// members reads an object, calling each for a member with the decoder at
// its value and the member's key as it is written; each reads the value.
// A top object is all there is: only space may follow it.
func (d *propsDecoder) members(top bool, each func(key string, rawKey []byte) error) error {
	d.space()
	if !d.byte('{') {
		return errNotPlain
	}
	d.space()
	if !d.byte('}') {
		for {
			d.space()
			start := d.i
			key, err := d.string()
			if err != nil {
				return err
			}
			rawKey := d.data[start:d.i]
			d.space()
			if !d.byte(':') {
				return errNotPlain
			}
			d.space()
			if err := each(key, rawKey); err != nil {
				return err
			}
			d.space()
			if d.byte('}') {
				break
			}
			if !d.byte(',') {
				return errNotPlain
			}
		}
	}
	if top {
		return d.end()
	}
	return nil
}

// objects reads an array of objects.
func (d *propsDecoder) objects(out *[]Object) error {
	d.byte('[')
	if *out == nil {
		*out = []Object{} // as encoding/json: [] is empty, not nil
	}
	d.space()
	if d.byte(']') {
		return nil
	}
	hint := 0 // the objects of a page share their properties
	for {
		d.space()
		var o Object
		if err := d.object(&o, hint); err != nil {
			return err
		}
		hint = len(o.Properties)
		*out = append(*out, o)
		d.space()
		if d.byte(']') {
			return nil
		}
		if !d.byte(',') {
			return errNotPlain
		}
	}
}

// object reads one object; its properties map is made with room for hint
// names.
func (d *propsDecoder) object(o *Object, hint int) error {
	if d.peek() != '{' {
		return errNotPlain
	}
	var rest members
	var seen [len(objectKeys)]bool
	if d.columns != nil {
		o.Columns, o.Values = d.columns, make([]*string, len(d.columns.names))
	}
	err := d.members(false, func(key string, raw []byte) error {
		k := slices.Index(objectKeys[:], key)
		if k >= 0 && seen[k] {
			return errNotPlain
		}
		if k >= 0 {
			seen[k] = true
		}
		var ok bool
		var err error
		switch key {
		case "id":
			ok, err = d.text(&o.ID)
		case "properties":
			if ok = d.peek() == '{'; ok && d.columns != nil {
				err = d.row(o)
			} else if ok {
				err = d.properties(&o.Properties, hint)
			}
		case "createdAt":
			ok, err = d.time(&o.CreatedAt)
		case "updatedAt":
			ok, err = d.time(&o.UpdatedAt)
		case "archived":
			ok = d.bool(&o.Archived)
		}
		if err != nil {
			return err
		}
		if !ok {
			return rest.add(d, raw, objectKeys[:]...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return rest.decode(o)
}

// objectKeys are the members of an object that object reads itself.
var objectKeys = [...]string{"id", "properties", "createdAt", "updatedAt", "archived"}

// text reads a string into s; false if the value is not a string.
func (d *propsDecoder) text(s *string) (bool, error) {
	if d.peek() != '"' {
		return false, nil
	}
	v, err := d.string()
	if err != nil {
		return true, err
	}
	*s = v
	return true, nil
}

// time reads a string into t as encoding/json does (time.Time's own
// UnmarshalJSON); false if the value is not a string.
func (d *propsDecoder) time(t *time.Time) (bool, error) {
	if d.peek() != '"' {
		return false, nil
	}
	start := d.i
	if _, err := d.string(); err != nil {
		return true, err
	}
	if err := t.UnmarshalJSON(d.data[start:d.i]); err != nil {
		return true, errNotPlain
	}
	return true, nil
}

// bool reads true or false into b; false if the value is neither.
func (d *propsDecoder) bool(b *bool) bool {
	switch {
	case d.literal("true"):
		*b = true
	case d.literal("false"):
		*b = false
	default:
		return false
	}
	return true
}

// members are the members of an object left to encoding/json, written as
// an object again.
type members struct{ buf []byte }

// add skips the value at d and keeps its member; a key encoding/json would
// match to one of taken (it matches keys regardless of case) is left to
// encoding/json with the rest of the body.
func (m *members) add(d *propsDecoder, rawKey []byte, taken ...string) error {
	key := string(rawKey[1 : len(rawKey)-1])
	if strings.ContainsRune(key, '\\') {
		return errNotPlain
	}
	for _, t := range taken {
		if strings.EqualFold(key, t) {
			return errNotPlain
		}
	}
	start := d.i
	if err := d.skip(0); err != nil {
		return err
	}
	if m.buf == nil {
		m.buf = append(m.buf, '{')
	} else {
		m.buf = append(m.buf, ',')
	}
	m.buf = append(m.buf, rawKey...)
	m.buf = append(m.buf, ':')
	m.buf = append(m.buf, d.data[start:d.i]...)
	return nil
}

// decode decodes the members kept into v.
func (m *members) decode(v any) error {
	if m.buf == nil {
		return nil
	}
	return json.Unmarshal(append(m.buf, '}'), v) //nolint:wrapcheck // only says to leave the page to encoding/json
}

// maxDepth is how deep skip follows nested values before it leaves the
// body to encoding/json.
const maxDepth = 100

// skip reads a JSON value of any kind, checking it.
func (d *propsDecoder) skip(depth int) error {
	if depth > maxDepth {
		return errNotPlain
	}
	switch c := d.peek(); {
	case c == '"':
		_, err := d.string()
		return err
	case c == '{':
		return d.members(false, func(string, []byte) error { return d.skip(depth + 1) })
	case c == '[':
		return d.elements(depth)
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return errNotPlain
}

// elements reads an array of values of any kind.
func (d *propsDecoder) elements(depth int) error {
	d.byte('[')
	d.space()
	if d.byte(']') {
		return nil
	}
	for {
		d.space()
		if err := d.skip(depth + 1); err != nil {
			return err
		}
		d.space()
		if d.byte(']') {
			return nil
		}
		if !d.byte(',') {
			return errNotPlain
		}
	}
}

// number reads a JSON number: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
func (d *propsDecoder) number() error {
	d.byte('-')
	switch c := d.peek(); {
	case c == '0':
		d.i++
	case c >= '1' && c <= '9':
		d.digits()
	default:
		return errNotPlain
	}
	if d.byte('.') && !d.digits() {
		return errNotPlain
	}
	if d.byte('e') || d.byte('E') {
		if !d.byte('+') {
			d.byte('-')
		}
		if !d.digits() {
			return errNotPlain
		}
	}
	return nil
}

// digits reads one digit or more; false if none comes.
func (d *propsDecoder) digits() bool {
	start := d.i
	for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}
