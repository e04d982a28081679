package hubspottest

import (
	"fmt"
	"maps"
	"testing"

	"github.com/matryer/is"
)

// TestValuesAsMap: a version by slot holds what a map of the same writes
// holds, read by name, by slot, in full and as a map; the version a write
// starts from keeps its values.
func TestValuesAsMap(t *testing.T) {
	wide := map[string]string{}
	for i := range 130 { // more than two words of slots
		wide[fmt.Sprintf("p%03d", i)] = fmt.Sprint(i)
	}
	str := func(s string) *string { return &s }
	tests := []struct {
		name    string
		start   map[string]string
		changes map[string]*string
	}{
		{"nothing", map[string]string{}, nil},
		{"empty and plain", map[string]string{"a": "", "b": "x"}, nil},
		{"set, clear and unset", map[string]string{"a": "1", "b": "2", "c": "3"},
			map[string]*string{"a": str("one"), "b": str(""), "c": nil, "gone": nil}},
		{"new names past the old slots", map[string]string{"a": "1"}, map[string]*string{"z1": str("9"), "z2": str("")}},
		{"wide", wide, map[string]*string{"p000": nil, "p129": str("last"), "p064": str("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			slots := newPropSlots()
			slots.slot("unrelated") // slots the versions do not start at 0
			start := slots.fromMap(tt.start)
			want := maps.Clone(tt.start)
			for n, v := range tt.changes {
				if v == nil {
					delete(want, n)
				} else {
					want[n] = *v
				}
			}
			d := slots.draft(start)
			d.apply(tt.changes)
			next := d.done()
			for _, c := range []struct {
				v    values
				want map[string]string
			}{{start, tt.start}, {next, want}} {
				is.Equal(c.v.toMap(), c.want)
				got := map[string]string{}
				for n, v := range c.v.all() {
					got[n] = v
				}
				is.Equal(got, c.want)
				for _, n := range append(slots.names, "never slotted") {
					v, ok := c.v.get(n)
					w, wok := c.want[n]
					is.Equal(ok, wok)
					is.Equal(v, w)
					if i, slotted := slots.byName[n]; slotted {
						v, ok = c.v.at(i)
						is.Equal(ok, wok)
						is.Equal(v, w)
					}
				}
			}
		})
	}
}

// TestZeroValues: the version of an archived entry of the search index
// holds nothing.
func TestZeroValues(t *testing.T) {
	is := is.New(t)
	var v values
	_, ok := v.get("email")
	is.True(!ok)
	_, ok = v.at(0)
	is.True(!ok)
	is.Equal(v.toMap(), map[string]string{})
	for range v.all() {
		t.Fatal("a zero version yields a value")
	}
}
