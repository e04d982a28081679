package hubspottest

import (
	"iter"
	"math/bits"
	"strings"
)

// propSlots numbers the names of the properties a type's objects hold
// values of, so that each stored version (values) keeps its values by
// number instead of in a map by name. A contact of every property
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
// a value per slot, "" or not, or none, as a map would hold them. The
// values lie one after the other in one string, so that a version is
// three allocations of which one holds pointers, where a slice of 600
// strings was 600 more for the garbage collector to mark (17 % of the
// simulator's CPU serving the wide snapshot) and to fetch from all over
// the heap while a page is written. No write changes a stored version (it
// drafts a new one), so that the search index, the history and the change
// log share each.
type values struct {
	slots *propSlots
	blob  string   // the values, by slot
	ends  []uint32 // where slot i's value ends in blob; it starts where slot i-1's ends
	has   []uint64 // bit i of has[i/64]: slot i holds a value
	// plainBits has bit i set when slot i's value needs no escape in JSON
	// (plainJSONString), found when the version is stored: a page then
	// copies it as it is, where looking for what to escape in each value
	// of each page was a third of the simulator's CPU serving the wide
	// snapshot.
	plainBits []uint64
}

// draft is a version being built, by done.
type draft struct {
	slots *propSlots
	vals  []string
	has   []uint64
}

// draft starts a version from v's values.
func (s *propSlots) draft(v values) *draft {
	d := &draft{slots: s}
	d.grow(len(s.names))
	for i := range v.ends {
		if val, ok := v.at(i); ok {
			d.vals[i] = val
			d.has[i/64] |= 1 << (i % 64)
		}
	}
	return d
}

func (d *draft) grow(n int) {
	if n > len(d.vals) {
		d.vals = append(d.vals, make([]string, n-len(d.vals))...)
		d.has = append(d.has, make([]uint64, (n+63)/64-len(d.has))...)
	}
}

func (d *draft) put(name, val string) {
	i := d.slots.slot(name)
	d.grow(i + 1)
	d.vals[i] = val
	d.has[i/64] |= 1 << (i % 64)
}

func (d *draft) remove(name string) {
	if i, ok := d.slots.byName[name]; ok && i < len(d.vals) {
		d.vals[i] = ""
		d.has[i/64] &^= 1 << (i % 64)
	}
}

// apply writes changes: a value each, or nil to unset it.
func (d *draft) apply(changes map[string]*string) {
	for name, val := range changes {
		if val == nil {
			d.remove(name)
			continue
		}
		d.put(name, *val)
	}
}

// done is the version drafted.
func (d *draft) done() values {
	n := 0
	for _, val := range d.vals {
		n += len(val)
	}
	var blob strings.Builder
	blob.Grow(n)
	v := values{slots: d.slots, ends: make([]uint32, len(d.vals)), has: d.has, plainBits: make([]uint64, len(d.has))}
	for i, val := range d.vals {
		blob.WriteString(val)
		v.ends[i] = uint32(blob.Len())
		if plainJSONString(val) {
			v.plainBits[i/64] |= 1 << (i % 64)
		}
	}
	v.blob = blob.String()
	return v
}

// fromMap stores m's values.
func (s *propSlots) fromMap(m map[string]string) values {
	d := s.draft(values{})
	for name, val := range m {
		d.put(name, val)
	}
	return d.done()
}

// at is slot i's value, if it has one.
func (v values) at(i int) (string, bool) {
	if i < 0 || i >= len(v.ends) || v.has[i/64]&(1<<(i%64)) == 0 {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = v.ends[i-1]
	}
	return v.blob[start:v.ends[i]], true
}

// plain reports whether slot i's value, if any, needs no escape in JSON.
func (v values) plain(i int) bool {
	return i >= 0 && i < len(v.ends) && v.plainBits[i/64]&(1<<(i%64)) != 0
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
				val, _ := v.at(i)
				if !yield(v.slots.names[i], val) {
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
