package typed_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
)

// FuzzParse parses any string as each kind: it must not panic, and a value
// that parses must format and parse back to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "Ada", "42", "-3.25", "1e21", "1E-7", "0.1", "9007199254740993", ".5", "5.", "+1", "-",
		"true", "FALSE", "2026-01-02T03:04:05.678Z", "2026-01-02T04:04:05+01:00", "2026-01-02",
		"1767323045678", "-62135596800000", "253402300799999", "a;b;c", ";;", "NaN", "0x1p4",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, p := range every {
			v, err := typed.Parse(p, &raw)
			if err != nil {
				var pe *typed.ParseError
				if !errors.As(err, &pe) || v != nil {
					t.Fatalf("Parse(%s, %q) = %v, %v: want nil and a *ParseError", p.Type, raw, v, err)
				}
				continue
			}
			s, err := typed.Format(p, v)
			if err != nil {
				t.Fatalf("Format(%s, %#v) from %q: %v", p.Type, v, raw, err)
			}
			again, err := typed.Parse(p, &s)
			if err != nil {
				t.Fatalf("Parse(%s, %q) from %q: %v", p.Type, s, raw, err)
			}
			if v != nil && !reflect.DeepEqual(again, v) {
				t.Fatalf("%s %q parses as %#v, formats as %q, parses as %#v", p.Type, raw, v, s, again)
			}
		}
	})
}

// FuzzFormat formats any string, double and integer as each kind: it must
// not panic, and what it writes parses, unless a number has more digits
// than a double holds.
func FuzzFormat(f *testing.F) {
	f.Add("1.5e21", 1e21, int64(1767323045678))
	f.Add("2026-01-02", 0.1, int64(-1))
	f.Add("a;b", 1e-7, int64(1767312000000))
	f.Add("12345678901234567890", 1.5, int64(9007199254740993))
	f.Add("true", math.Copysign(0, -1), int64(0))
	f.Fuzz(func(t *testing.T, s string, fl float64, n int64) {
		for _, p := range every {
			for _, v := range []any{s, json.Number(s), fl, float32(fl), n, []any{s}, []string{s, s}} {
				out, err := typed.Format(p, v)
				if err != nil {
					var fe *typed.FormatError
					if !errors.As(err, &fe) || out != "" {
						t.Fatalf("Format(%s, %#v) = %q, %v: want \"\" and a *FormatError", p.Type, v, out, err)
					}
					continue
				}
				if _, err := typed.Parse(p, &out); err != nil && !errors.Is(err, typed.ErrInexact) {
					t.Fatalf("Format(%s, %#v) = %q, which does not parse: %v", p.Type, v, out, err)
				}
			}
		}
	})
}
