package source

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxArchivedOwners bounds the archived owners a position names, so that
// the position, which every record of every resource read carries, stays
// small (some 15 KB at most: seven characters an id). An account past it has owners below
// ArchivedOwners.Floor that leave without a delete (see ownerIDs.add).
const maxArchivedOwners = 2000

// ArchivedOwners are the owners of HubSpot's archived list that the
// deletes are done with: archived before the source started, or deleted
// by a record. HubSpot gives an archived owner no archivedAt
// (supaglue-labs/supaglue#665; the spec's PublicOwner has none), so an
// owner that leaves is known by not being among them.
type ArchivedOwners struct {
	// IDs are the ids in ascending order, each as its difference from the
	// one before in base 36, comma-separated: "2s,1,a" is 100, 101, 111.
	IDs string `json:"ids"`
	// Floor, when set, is the largest id that the bound pushed out: every
	// archived owner at or below it counts as done with.
	Floor string `json:"floor,omitempty"`
}

// ownerIDs is ArchivedOwners as the deletes scan uses it.
type ownerIDs struct {
	ids   []uint64 // ascending
	floor uint64
}

// parseArchivedOwners reads a position's archived owners.
func parseArchivedOwners(a *ArchivedOwners) (*ownerIDs, error) {
	o := &ownerIDs{}
	if a.Floor != "" {
		n, err := parseID(a.Floor)
		if err != nil {
			return nil, fmt.Errorf("archived owners' floor: %w", err)
		}
		o.floor = n
	}
	if a.IDs == "" {
		return o, nil
	}
	var last uint64
	for i, d := range strings.Split(a.IDs, ",") {
		n, err := strconv.ParseUint(d, 36, 64)
		if err != nil || (i > 0 && n == 0) {
			return nil, fmt.Errorf("archived owners: %q is not an id's distance from the one before", d)
		}
		last += n
		o.ids = append(o.ids, last)
	}
	return o, nil
}

// position is o as a position holds it.
func (o *ownerIDs) position() *ArchivedOwners {
	var b strings.Builder
	var last uint64
	for i, id := range o.ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(id-last, 36))
		last = id
	}
	a := &ArchivedOwners{IDs: b.String()}
	if o.floor > 0 {
		a.Floor = strconv.FormatUint(o.floor, 10)
	}
	return a
}

// done says whether the deletes are done with the archived owner id.
func (o *ownerIDs) done(id uint64) bool { return id <= o.floor || o.listed(id) }

// listed says whether id is named: an owner the source knows is archived,
// which is back if the live list shows it.
func (o *ownerIDs) listed(id uint64) bool {
	_, ok := slices.BinarySearch(o.ids, id)
	return ok
}

// add names id. Past maxArchivedOwners the smallest ids make way, under
// the floor: the oldest owners, which HubSpot numbers first. A live owner
// below the floor that leaves later gets no delete: the bound's price,
// logged where it is paid.
func (o *ownerIDs) add(id uint64) (floorMoved bool) {
	i, ok := slices.BinarySearch(o.ids, id)
	if ok || id <= o.floor {
		return false
	}
	o.ids = slices.Insert(o.ids, i, id)
	if len(o.ids) <= maxArchivedOwners {
		return false
	}
	o.floor = o.ids[0]
	o.ids = o.ids[1:]
	return true
}

// remove forgets id: the owner is back in the live list.
func (o *ownerIDs) remove(id uint64) {
	if i, ok := slices.BinarySearch(o.ids, id); ok {
		o.ids = slices.Delete(o.ids, i, i+1)
	}
}
