package source

import (
	"context"
	"fmt"
	"slices"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

// maxListMembers bounds the members a list_memberships position
// remembers, over all lists: 10,000 ids, some 30 to 70 KB as encodeIDs
// writes them (3 to 7 characters an id, as the ids of a list's members
// lie close together or far apart). Each record carries the position, so
// the bound is that of every record's size too. A list whose members do
// not fit beside the others' is untracked (MemberList.Untracked).
const maxListMembers = 10_000

// MembersPosition is the state of the list_memberships resource: what each
// list's members were when the source last compared them with what it had
// emitted. The members of a list are committed once its comparison's
// records are all out: the records of a comparison carry the list's state
// from before it, so that a restart at any of them compares the list again
// (emitting again what it emitted: at least once, never a removal lost).
// A position thus grows by list, not by record.
type MembersPosition struct {
	Lists map[string]MemberList `json:"lists,omitempty"`
}

// MemberList is what the position remembers of one list.
type MemberList struct {
	// Seen is the digest of what the lists search shows of the list that
	// moves when its members change (updatedAt, hs_list_size,
	// hs_last_record_added_at, hs_last_record_removed_at): a list whose
	// digest did not move is not read again.
	Seen         string `json:"seen"`
	ObjectTypeID string `json:"type,omitempty"`
	// IDs are the record ids emitted as members and not removed since, as
	// encodeIDs writes them.
	IDs string `json:"ids,omitempty"`
	// Untracked says that the list's members did not fit under
	// maxListMembers when it was first read: its members are not
	// remembered, a member added after AddedTo is a create, and a member
	// removed gets no delete (logged each time the list changes).
	Untracked bool `json:"untracked,omitempty"`
	// AddedTo is, for an untracked list, the latest time a member emitted
	// was added at, in Unix milliseconds.
	AddedTo int64 `json:"addedTo,omitempty"`
}

// members reads a list's remembered ids.
func (m MemberList) members(listID string) ([]uint64, error) {
	ids, err := decodeIDs(m.IDs)
	if err != nil {
		return nil, fmt.Errorf("members of list %s: %w", listID, err)
	}
	return ids, nil
}

// validate checks the ids each list remembers.
func (p *MembersPosition) validate() error {
	for id, l := range p.Lists {
		if _, err := l.members(id); err != nil {
			return err
		}
	}
	return nil
}

// tracked is how many members the position remembers, but those of except.
func (p *MembersPosition) tracked(except string) (int, error) {
	n := 0
	for id, l := range p.Lists {
		if id == except || l.IDs == "" {
			continue
		}
		ids, err := l.members(id)
		if err != nil {
			return 0, err
		}
		n += len(ids)
	}
	return n, nil
}

// diffIDs returns the ids of now not in before (added) and of before not in
// now (removed), both ascending; before and now are ascending.
func diffIDs(before, now []uint64) (added, removed []uint64) {
	i, j := 0, 0
	for i < len(before) || j < len(now) {
		switch {
		case j == len(now) || (i < len(before) && before[i] < now[j]):
			removed = append(removed, before[i])
			i++
		case i == len(before) || now[j] < before[i]:
			added = append(added, now[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return added, removed
}

// warnUntracked says that a list's removals will not be seen.
func warnUntracked(ctx context.Context, listID string, size, tracked int) {
	sdk.Logger(ctx).Warn().Str("listId", listID).Int("members", size).Int("tracked", tracked).Int("limit", maxListMembers).
		Msg("hubspot source: list_memberships remembers at most limit members over all lists; this list's do not fit, so its new members come as creates and a member removed from it gets no delete")
}

// sortedListIDs are the ids of m in numeric order, so that a pass reads and
// emits lists in the same order on every run.
func sortedListIDs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.SortFunc(out, compareIDs)
	return out
}
