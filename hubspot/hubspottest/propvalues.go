package hubspottest

import (
	"iter"
	"math/bits"
)

// propSlots numbers the names of the properties a type's objects hold
// values of, so that each stored version (values) keeps its values in a
// slice by number instead of a map by name. A contact of every property
// holds 600 values: as maps, 100,000 of them took 8.3 GiB at peak, and a
// profile of the simulator serving them had 45 % of its CPU in the map
// lookups of the pages it wrote. A name keeps its number for good: the
// values of an archived property stay on the objects that hold them.
type propSlots struct {
	byName map[string]int
	names  []string
}

func newPropSlots() *propSlots { return &propSlots{byName: map[string]int{}} }

// slot is name's number, given now if it has none.
func (s *propSlots) slot(name string) int {
	if i, ok := s.byName[name]; ok {
		return i
	}
	i := len(s.names)
	s.byName[name] = i
	s.names = append(s.names, name)
	return i
}

// values is one version of an object's properties by slot (propSlots):
// a value per slot, "" or not, or none, as a map would hold them. No write
// changes a stored version (it stores a new one, with), so that the
// search index, the history and the change log share each.
type values struct {
	slots *propSlots
	vals  []string
	has   []uint64 // bit i of has[i/64]: slot i holds vals[i]
}

// sized is an empty version with room for every slot s has now.
func (s *propSlots) sized() values {
	n := len(s.names)
	return values{slots: s, vals: make([]string, n), has: make([]uint64, (n+63)/64)}
}

// fromMap stores m's values.
func (s *propSlots) fromMap(m map[string]string) values {
	for name := range m {
		s.slot(name)
	}
	v := s.sized()
	for name, val := range m {
		v.put(s.slot(name), val)
	}
	return v
}

// with is a new version: v's values, with changes (nil unsets).
func (s *propSlots) with(v values, changes map[string]*string) values {
	for name := range changes {
		s.slot(name)
	}
	next := s.sized()
	copy(next.vals, v.vals)
	copy(next.has, v.has)
	for name, val := range changes {
		if val == nil {
			next.remove(s.slot(name))
			continue
		}
		next.put(s.slot(name), *val)
	}
	return next
}

// put sets slot i's value on a version being built; sized made room for i.
func (v *values) put(i int, val string) {
	v.vals[i] = val
	v.has[i/64] |= 1 << (i % 64)
}

func (v *values) remove(i int) {
	if i < len(v.vals) {
		v.vals[i] = ""
		v.has[i/64] &^= 1 << (i % 64)
	}
}

// at is slot i's value, if it has one.
func (v values) at(i int) (string, bool) {
	if i < 0 || i >= len(v.vals) || v.has[i/64]&(1<<(i%64)) == 0 {
		return "", false
	}
	return v.vals[i], true
}

// get is a property's value, if it has one.
func (v values) get(name string) (string, bool) {
	if v.slots == nil {
		return "", false
	}
	i, ok := v.slots.byName[name]
	if !ok {
		return "", false
	}
	return v.at(i)
}

// all yields the names and values the version holds, by slot.
func (v values) all() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for w, word := range v.has {
			for word != 0 {
				i := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if !yield(v.slots.names[i], v.vals[i]) {
					return
				}
			}
		}
	}
}

// toMap is the version as a new map.
func (v values) toMap() map[string]string {
	n := 0
	for _, word := range v.has {
		n += bits.OnesCount64(word)
	}
	m := make(map[string]string, n)
	for name, val := range v.all() {
		m[name] = val
	}
	return m
}
