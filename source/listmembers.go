package source

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/typed"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-sdk/schema"
)

// Field names of the list_memberships records: the key is (listId,
// recordId).
const (
	memberFieldList       = "listId"
	memberFieldRecord     = "recordId"
	memberFieldObjectType = "objectTypeId"
	memberFieldJoinedAt   = "membershipTimestamp"
)

// memberScan reads the list_memberships resource. HubSpot's lists API
// tells no change of members but a list's last added and removed times
// and size (the search's default list properties), and offers no removal
// history, so each pass:
//
//   - searches every list (one request per 500 lists): a list whose
//     digest (MemberList.Seen) did not move since the last pass costs
//     nothing more, so an idle pass is the search alone;
//   - reads each changed list's members by record id, 250 a request, and
//     compares them with those the position remembers: a member new to it
//     is a create (a snapshot record in the first pass), one gone a
//     delete; a deleted list's members are all deletes, a restored list's
//     creates.
//
// The pages after a pass's first are paced at deletesRateShare of the
// budget, as the deletes scan's are, and a pass starts once every
// deletesPollingPeriod at most.
type memberScan struct {
	svc      ListReader
	history  *history
	now      func() time.Time
	every    time.Duration
	perPage  time.Duration
	deletes  bool
	baseline bool
	next     time.Time
	caughtUp bool
	pass     *memberPass
	// key and payload are the records' schemas, registered by the first
	// step.
	key, payload schema.Schema
}

// memberPass is a pass in progress: the lists left to compare, and the
// members read so far of the first of them.
type memberPass struct {
	started  time.Time
	requests int
	queue    []listWork
	after    string
	members  []hubspot.ListMember
}

// listWork is a list a pass compares: gone when the search no longer
// shows it.
type listWork struct {
	id, objectType, seen string
	gone                 bool
}

func (m *memberScan) idle() bool { return m.caughtUp }

func (m *memberScan) step(ctx context.Context) ([]opencdc.Record, bool, error) {
	if err := m.registerSchemas(ctx); err != nil {
		return nil, false, err
	}
	now := m.now()
	if m.pass == nil {
		if now.Before(m.next) {
			m.caughtUp = true
			return nil, false, nil
		}
		return nil, true, m.start(ctx, now)
	}
	p := m.pass
	if len(p.queue) == 0 {
		m.finish()
		return nil, false, nil
	}
	work := p.queue[0]
	if !work.gone {
		if now.Before(p.started.Add(time.Duration(p.requests-1) * m.perPage)) {
			return nil, false, nil // the pass's share of the budget is spent for now
		}
		page, err := m.svc.Members(ctx, work.id, p.after, hubspot.MaxMembershipPage)
		if err != nil {
			return nil, false, fmt.Errorf("read changes: %w", err)
		}
		p.requests++
		p.members = append(p.members, page.Members...)
		if p.after = page.After; p.after != "" {
			return nil, true, nil
		}
	}
	recs, err := m.compare(ctx, work, p.members, now)
	if err != nil {
		return nil, false, err
	}
	p.queue, p.members, p.after = p.queue[1:], nil, ""
	return recs, true, nil
}

// registerSchemas registers the records' key and payload schemas once.
func (m *memberScan) registerSchemas(ctx context.Context) error {
	if m.payload.Subject != "" {
		return nil
	}
	name := m.history.resource.Name
	key, payload, err := typed.MemberSchemas(name, memberFieldList, memberFieldRecord, memberFieldObjectType, memberFieldJoinedAt)
	if err != nil {
		return err
	}
	if m.key, err = register(ctx, name+".key", key); err != nil {
		return err
	}
	m.payload, err = register(ctx, name+".payload", payload)
	return err
}

// start begins a pass: the search, and the lists to compare.
func (m *memberScan) start(ctx context.Context, now time.Time) error {
	lists, pages, err := searchLists(ctx, m.svc)
	if err != nil {
		return err
	}
	m.next = now.Add(m.every)
	m.caughtUp = false
	h := m.history
	if h.pos.Members == nil {
		h.pos.Members = &MembersPosition{}
	}
	known := h.pos.Members.Lists
	p := &memberPass{started: now, requests: pages}
	live := map[string]bool{}
	for _, l := range lists {
		live[l.ListID] = true
		seen := memberDigest(l)
		if changedAt(l).After(now.Add(-deletesClockSkew)) {
			// A change in the same millisecond as one the search showed
			// could leave the digest as it is: the list is compared
			// again next pass, until its last change is settled.
			seen = unsettled
		}
		if old, ok := known[l.ListID]; !ok || old.Seen != seen || seen == unsettled {
			p.queue = append(p.queue, listWork{id: l.ListID, objectType: l.ObjectTypeID, seen: seen})
		}
	}
	for _, id := range sortedListIDs(known) {
		if !live[id] {
			p.queue = append(p.queue, listWork{id: id, objectType: known[id].ObjectTypeID, gone: true})
		}
	}
	m.pass = p
	return nil
}

// finish ends a pass: the snapshot, when it was the first, is done.
func (m *memberScan) finish() {
	m.pass = nil
	m.history.pos.Mode = ModeCDC
	m.baseline, m.caughtUp = false, true
}

// unsettled is the digest of a list changed too lately to trust that its
// digest would move with the next change.
const unsettled = "~"

// changedAt is the latest of a list's updatedAt and last added and removed
// times, as the search shows them (epoch milliseconds, or ISO 8601).
func changedAt(l hubspot.List) time.Time {
	var latest time.Time
	if l.UpdatedAt != nil {
		latest = *l.UpdatedAt
	}
	for _, prop := range []string{hubspot.ListPropLastAddedAt, hubspot.ListPropLastRemovedAt} {
		v := l.AdditionalProperties[prop]
		t, err := time.Parse(time.RFC3339Nano, v)
		if ms, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			t, err = time.UnixMilli(ms), nil
		}
		if err == nil && t.After(latest) {
			latest = t
		}
	}
	return latest
}

// memberDigest is what the search shows of a list that moves when its
// members change.
func memberDigest(l hubspot.List) string {
	var updated string
	if l.UpdatedAt != nil {
		updated = l.UpdatedAt.UTC().Format(time.RFC3339Nano)
	}
	p := l.AdditionalProperties
	return stableSum(hubspot.Properties{"u": hubspot.String(updated), "s": hubspot.String(p[hubspot.ListPropSize]),
		"a": hubspot.String(p[hubspot.ListPropLastAddedAt]), "r": hubspot.String(p[hubspot.ListPropLastRemovedAt])})
}
