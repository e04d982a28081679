package source

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// compare emits the changes of one list's members, in record id order,
// and commits the list's new state with the last of them.
//
// Each record's position holds exactly the members a destination holds
// once it applied that record: the members emitted before it and not
// deleted since, the list's digest left as it was (so that a restart
// there compares the list again). HubSpot's API shows no member once it
// is removed, so a position that held less (the list as it was before the
// comparison, and a cursor) would lose the delete of a member emitted
// before a restart and removed before the list is read again; the price
// is that a position grows with the list being compared, up to
// maxListMembers.
func (m *memberScan) compare(ctx context.Context, work listWork, members []hubspot.ListMember, now time.Time) ([]opencdc.Record, error) {
	h := m.history
	state := h.pos.Members
	old := state.Lists[work.id]
	joined := make(map[uint64]time.Time, len(members))
	ids := make([]uint64, 0, len(members))
	var latest int64
	for _, mb := range members {
		id, err := parseID(mb.RecordID)
		if err != nil {
			return nil, fmt.Errorf("list %s: member: %w", work.id, err)
		}
		if _, dup := joined[id]; !dup {
			ids = append(ids, id)
		}
		joined[id] = mb.MembershipTimestamp.UTC()
		latest = max(latest, mb.MembershipTimestamp.UnixMilli())
	}
	slices.Sort(ids)
	before, err := old.members(work.id)
	if err != nil {
		return nil, err
	}
	added, removed := diffIDs(before, ids)
	next := MemberList{Seen: work.seen, ObjectTypeID: work.objectType, IDs: encodeIDs(ids)}
	untracked := old.Untracked
	switch {
	case old.Untracked:
		added, removed = nil, nil
		for _, id := range ids {
			if joined[id].UnixMilli() > old.AddedTo {
				added = append(added, id)
			}
		}
		next = MemberList{Seen: work.seen, ObjectTypeID: work.objectType, Untracked: true, AddedTo: max(old.AddedTo, latest)}
		sdk.Logger(ctx).Warn().Str("listId", work.id).
			Msg("hubspot source: an untracked list changed: its new members come as creates, and a member removed from it gets no delete")
	case !work.gone:
		tracked, err := state.tracked(work.id)
		if err != nil {
			return nil, err
		}
		if tracked+len(ids) > maxListMembers {
			warnUntracked(ctx, work.id, len(ids), tracked)
			next = MemberList{Seen: work.seen, ObjectTypeID: work.objectType, Untracked: true, AddedTo: latest}
			// The deletes of the members it had are still known: they
			// come now, and its members are no longer remembered.
			untracked = true
		}
	}
	if !m.deletes {
		removed = nil
	}
	lists := maps.Clone(state.Lists)
	if lists == nil {
		lists = map[string]MemberList{}
	}
	var recs []opencdc.Record
	if !m.baseline {
		progress := newMemberProgress(old, before, ids, untracked)
		recs, err = m.records(work, added, removed, joined, now, func(through uint64) (opencdc.Position, error) {
			lists[work.id] = progress.at(through)
			h.pos.Members = &MembersPosition{Lists: lists}
			return h.pos.marshal()
		})
		if err != nil {
			return nil, err
		}
	}
	lists = maps.Clone(lists)
	if work.gone {
		delete(lists, work.id)
	} else {
		lists[work.id] = next
	}
	h.pos.Members = &MembersPosition{Lists: lists}
	if len(recs) > 0 {
		p, err := h.pos.marshal()
		if err != nil {
			return nil, err
		}
		recs[len(recs)-1].Position = p
	}
	return recs, nil
}

// records are the creates of added and the deletes of removed, in record
// id order, each with the position pos gives once it is applied.
func (m *memberScan) records(work listWork, added, removed []uint64, joined map[uint64]time.Time, now time.Time,
	pos func(through uint64) (opencdc.Position, error)) ([]opencdc.Record, error) {
	op := opencdc.OperationCreate
	if m.history.pos.Mode == ModeSnapshot {
		op = opencdc.OperationSnapshot
	}
	out := make([]opencdc.Record, 0, len(added)+len(removed))
	i, j := 0, 0
	for i < len(added) || j < len(removed) {
		create := j == len(removed) || (i < len(added) && added[i] < removed[j])
		id := uint64(0)
		if create {
			id, i = added[i], i+1
		} else {
			id, j = removed[j], j+1
		}
		p, err := pos(id)
		if err != nil {
			return nil, err
		}
		var rec opencdc.Record
		if create {
			at := joined[id]
			rec, err = m.record(op, p, work, id, &at, at)
		} else {
			rec, err = m.record(opencdc.OperationDelete, p, work, id, nil, now)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func (m *memberScan) record(op opencdc.Operation, pos opencdc.Position, work listWork, id uint64, joined *time.Time, at time.Time) (opencdc.Record, error) {
	rid := strconv.FormatUint(id, 10)
	key := opencdc.StructuredData{memberFieldList: work.id, memberFieldRecord: rid}
	payload := opencdc.StructuredData{memberFieldList: work.id, memberFieldRecord: rid,
		memberFieldObjectType: work.objectType, memberFieldJoinedAt: nil}
	if joined != nil {
		payload[memberFieldJoinedAt] = joined.UTC()
	}
	meta := opencdc.Metadata{}
	meta.SetCollection(m.history.resource.Name)
	meta.SetCreatedAt(at)
	rec, err := recordOf(op, pos, meta, key, payload)
	if err != nil {
		return opencdc.Record{}, err
	}
	attachSchemas(rec, m.key, m.payload)
	return rec, nil
}

// memberProgress is a list's state part way through its comparison: the
// members a destination holds once the records up to a record id are
// applied, the new members up to it and the old ones after it. Both sides
// are encoded once; each state is a prefix of the one and a suffix of the
// other, so that a record's state costs its length and no more.
type memberProgress struct {
	old                MemberList
	untracked          bool
	now, before        []uint64
	nowEnc, beforeEnc  string
	nowEnds, beforeEnd []int // the end of each id's text in nowEnc, beforeEnc
}

func newMemberProgress(old MemberList, before, now []uint64, untracked bool) *memberProgress {
	p := &memberProgress{old: old, untracked: untracked, now: now, before: before}
	p.nowEnc, p.nowEnds = encodeIDsWithEnds(now)
	p.beforeEnc, p.beforeEnd = encodeIDsWithEnds(before)
	return p
}

// at is the list's state once the records up to the record id through are
// applied: its digest still the old one (a restart compares it again).
func (p *memberProgress) at(through uint64) MemberList {
	st := MemberList{Seen: p.old.Seen, ObjectTypeID: p.old.ObjectTypeID, Untracked: p.old.Untracked, AddedTo: p.old.AddedTo}
	if p.untracked {
		// Not remembered: only deletes of the members it had come, all
		// of them before its new state.
		st.Untracked, st.IDs = p.old.Untracked, p.suffix(through, 0)
		return st
	}
	a, _ := slices.BinarySearch(p.now, through+1) // new members up to through
	var b strings.Builder
	last := uint64(0)
	if a > 0 {
		b.WriteString(p.nowEnc[:p.nowEnds[a-1]])
		last = p.now[a-1]
	}
	if rest := p.suffix(through, last); rest != "" {
		if a > 0 {
			b.WriteByte(',')
		}
		b.WriteString(rest)
	}
	st.IDs = b.String()
	return st
}

// suffix is the old members after through, encoded after the id last.
func (p *memberProgress) suffix(through, last uint64) string {
	k, _ := slices.BinarySearch(p.before, through+1)
	if k == len(p.before) {
		return ""
	}
	first := strconv.FormatUint(p.before[k]-last, 36)
	return first + p.beforeEnc[p.beforeEnd[k]:]
}
