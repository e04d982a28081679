package source

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

// maxArchivedIDs bounds the archived objects a position names, so that
// the position, which every record of every resource read carries, stays
// small (some 15 KB at most: seven characters an id). An account past it
// has objects below ArchivedIDs.Floor that leave without a delete (see
// idSet.add).
const maxArchivedIDs = 2000

// ArchivedIDs are the objects of HubSpot's archived list that the deletes
// are done with, for the resources whose archived list gives no deletion
// time: owners (no archivedAt: supaglue-labs/supaglue#665; the spec's
// PublicOwner has none) and URL redirects (the spec's UrlMapping has
// neither archivedAt nor deletedAt). An archived object not among them is
// a new delete.
type ArchivedIDs struct {
	// IDs are the ids in ascending order, as encodeIDs writes them.
	IDs string `json:"ids"`
	// Floor, when set, is the largest id that the bound pushed out: every
	// archived object at or below it counts as done with.
	Floor string `json:"floor,omitempty"`
}

// idSet is ArchivedIDs as the deletes scan uses it.
type idSet struct {
	ids   []uint64 // ascending
	floor uint64
}

// parseIDSet reads a position's archived ids.
func parseIDSet(a *ArchivedIDs) (*idSet, error) {
	o := &idSet{}
	if a.Floor != "" {
		n, err := parseID(a.Floor)
		if err != nil {
			return nil, fmt.Errorf("archived ids' floor: %w", err)
		}
		o.floor = n
	}
	ids, err := decodeIDs(a.IDs)
	if err != nil {
		return nil, fmt.Errorf("archived ids: %w", err)
	}
	o.ids = ids
	return o, nil
}

// position is o as a position holds it.
func (o *idSet) position() *ArchivedIDs {
	a := &ArchivedIDs{IDs: encodeIDs(o.ids)}
	if o.floor > 0 {
		a.Floor = strconv.FormatUint(o.floor, 10)
	}
	return a
}

// encodeIDs writes ascending ids as a position holds them: each as its
// difference from the one before in base 36, comma-separated ("2s,1,a" is
// 100, 101, 111). HubSpot numbers one type's objects close together, so a
// thousand take a few kilobytes.
func encodeIDs(ids []uint64) string {
	s, _ := encodeIDsWithEnds(ids)
	return s
}

// encodeIDsWithEnds is encodeIDs, with where each id's text ends in it.
func encodeIDsWithEnds(ids []uint64) (string, []int) {
	var b strings.Builder
	ends := make([]int, len(ids))
	var last uint64
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(id-last, 36))
		ends[i] = b.Len()
		last = id
	}
	return b.String(), ends
}

// decodeIDs reads what encodeIDs wrote.
func decodeIDs(s string) ([]uint64, error) {
	if s == "" {
		return nil, nil
	}
	var out []uint64
	var last uint64
	for i, d := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(d, 36, 64)
		if err != nil || (i > 0 && n == 0) {
			return nil, fmt.Errorf("%q is not an id's distance from the one before", d)
		}
		last += n
		out = append(out, last)
	}
	return out, nil
}

// done says whether the deletes are done with the archived object id.
func (o *idSet) done(id uint64) bool { return id <= o.floor || o.listed(id) }

// listed says whether id is named: an object the source knows is
// archived, which is back if the live list shows it.
func (o *idSet) listed(id uint64) bool {
	_, ok := slices.BinarySearch(o.ids, id)
	return ok
}

// add names id. Past maxArchivedIDs the smallest ids make way, under the
// floor: the oldest objects, which HubSpot numbers first. A live object
// below the floor that is archived later gets no delete: the bound's
// price, logged where it is paid (warnFloor).
func (o *idSet) add(id uint64) (floorMoved bool) {
	i, ok := slices.BinarySearch(o.ids, id)
	if ok || id <= o.floor {
		return false
	}
	o.ids = slices.Insert(o.ids, i, id)
	if len(o.ids) <= maxArchivedIDs {
		return false
	}
	o.floor = o.ids[0]
	o.ids = o.ids[1:]
	return true
}

// remove forgets id: the object is back in the live list.
func (o *idSet) remove(id uint64) {
	if i, ok := slices.BinarySearch(o.ids, id); ok {
		o.ids = slices.Delete(o.ids, i, i+1)
	}
}

// warnFloor tells that the bound pushed archived ids of resource out
// under floor, the price of which is a delete that will not come.
func warnFloor(ctx context.Context, resource string, floor uint64) {
	sdk.Logger(ctx).Warn().Str("resource", resource).Int("limit", maxArchivedIDs).Uint64("floor", floor).
		Msg("hubspot source: more archived objects than the position names; one with an id at or below floor that is archived from now on gets no delete")
}
