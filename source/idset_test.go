package source

import (
	"testing"

	"github.com/matryer/is"
)

// TestArchivedIDsBound: the ids a position names round-trip through
// their compact form, and past maxArchivedIDs the smallest make way
// under the floor, at or below which every owner counts as done with, and
// none as listed (so none looks back on the live list).
func TestArchivedIDsBound(t *testing.T) {
	is := is.New(t)
	o := &idSet{}
	is.True(!o.add(111) && !o.add(100) && !o.add(101) && !o.add(100))
	is.Equal(*o.position(), ArchivedIDs{IDs: "2s,1,a"})
	back, err := parseIDSet(o.position())
	is.NoErr(err)
	is.Equal(back.ids, []uint64{100, 101, 111})
	back.remove(101)
	is.True(!back.done(101) && back.done(111))

	big := &idSet{}
	moved := false
	for i := range maxArchivedIDs + 2 {
		moved = big.add(uint64(1000+i*7)) || moved
	}
	is.True(moved)
	is.Equal(len(big.ids), maxArchivedIDs)
	is.Equal(big.floor, uint64(1007))
	is.True(big.done(1000) && big.done(1003) && !big.listed(1003) && !big.done(1008))
	is.True(!big.add(1001)) // under the floor: done with already
	is.True(len(big.position().IDs) < 10_000)
	again, err := parseIDSet(big.position())
	is.NoErr(err)
	is.Equal(again, big)

	for _, bad := range []ArchivedIDs{{IDs: "2s,0"}, {IDs: "2s,-1"}, {IDs: "x!"}, {Floor: "a"}} {
		_, err := parseIDSet(&bad)
		is.True(err != nil)
	}
}
