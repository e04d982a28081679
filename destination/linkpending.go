package destination

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

// hold keeps a link whose linked object does not exist yet, to try it
// again later; one already waiting keeps its start.
func (l *linker) hold(fromType, toType string, job linkJob, to linkTo) {
	now := l.now()
	since := job.since
	if since.IsZero() {
		since = now
	}
	for i, p := range l.pending {
		if p.fromType == fromType && p.fromID == job.fromID && p.toType == toType && p.to.key == to.key {
			l.pending[i].to, l.pending[i].tried, l.pending[i].triedGen = to, now, l.gen
			if since.Before(p.since) {
				l.pending[i].since = since
			}
			return
		}
	}
	l.pending = append(l.pending, pendingLink{fromType: fromType, fromID: job.fromID, toType: toType, to: to,
		position: job.position, since: since, tried: now, triedGen: l.gen})
}

// dropPending forgets the waiting links to toType of the jobs' objects: a
// record in replace mode names all of them again.
func (l *linker) dropPending(fromType, toType string, jobs []linkJob, at []int) {
	l.pending = slices.DeleteFunc(l.pending, func(p pendingLink) bool {
		return p.fromType == fromType && p.toType == toType &&
			slices.ContainsFunc(at, func(i int) bool { return jobs[i].fromID == p.fromID })
	})
}

// forget drops the waiting links of objects archived: HubSpot removes an
// archived object's links itself.
func (l *linker) forget(fromType string, ids []string) {
	if l == nil {
		return
	}
	l.pending = slices.DeleteFunc(l.pending, func(p pendingLink) bool {
		return p.fromType == fromType && slices.Contains(ids, p.fromID)
	})
	l.unlearn(fromType, ids)
}

// retry tries the waiting links again: those whose linked type was
// written since their last try, or tried pendingRetryEvery ago, or all
// with force. Links still missing wait on; an error leaves them waiting
// too, logged, since their records were written already.
func (l *linker) retry(ctx context.Context, force bool) {
	if l == nil || len(l.pending) == 0 {
		return
	}
	now := l.now()
	var due, keep []pendingLink
	for _, p := range l.pending {
		if force || l.wrote[p.toType] > p.triedGen || now.Sub(p.tried) >= pendingRetryEvery {
			due = append(due, p)
		} else {
			keep = append(keep, p)
		}
	}
	l.pending = keep
	byFrom := map[string][]pendingLink{}
	for _, p := range due {
		byFrom[p.fromType] = append(byFrom[p.fromType], p)
	}
	for _, fromType := range slices.Sorted(maps.Keys(byFrom)) {
		ps := byFrom[fromType]
		jobs := make([]linkJob, len(ps))
		for i, p := range ps {
			jobs[i] = linkJob{fromID: p.fromID, links: linkSet{p.toType: {p.to}}, position: p.position, since: p.since}
		}
		for i, err := range l.apply(ctx, fromType, jobs, false) {
			sdk.Logger(ctx).Warn().Err(err).Str("from", fromType+" "+ps[i].fromID).Str("to", ps[i].toType+" "+ps[i].to.key).
				Msg("a waiting link could not be made; it is tried again later")
			l.hold(fromType, ps[i].toType, jobs[i], ps[i].to)
		}
	}
}

// expired fails a Write, before it writes anything, when links waited
// associationsWait for objects that still do not exist (tried once more
// first). The error names both ends of each; they are dropped then, so
// that the next Write goes on.
func (l *linker) expired(ctx context.Context) error {
	if l == nil {
		return nil
	}
	late := func(p pendingLink) bool { return l.now().Sub(p.since) >= l.wait }
	if !slices.ContainsFunc(l.pending, late) {
		return nil
	}
	l.retry(ctx, true)
	var lost []pendingLink
	l.pending = slices.DeleteFunc(l.pending, func(p pendingLink) bool {
		if late(p) {
			lost = append(lost, p)
			return true
		}
		return false
	})
	if len(lost) == 0 {
		return nil
	}
	noun := "links"
	if len(lost) == 1 {
		noun = "link"
	}
	return fmt.Errorf("%d %s waited %s (%q) for objects that do not exist, and were not made: %s",
		len(lost), noun, l.wait, KeyAssociationsWait, l.describe(lost))
}

// describe names both ends of the first few links.
func (l *linker) describe(ps []pendingLink) string {
	var ends []string
	for _, p := range ps[:min(len(ps), maxLateShown)] {
		ends = append(ends, fmt.Sprintf("from %s %s (the record at position %s) to %s", p.fromType, p.fromID, p.position, l.farEnd(p)))
	}
	if more := len(ps) - maxLateShown; more > 0 {
		ends = append(ends, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(ends, "; ")
}

// close warns of the links still waiting, which are in memory only: they
// are not made unless their records come again.
func (l *linker) close(ctx context.Context) {
	if l == nil || len(l.pending) == 0 {
		return
	}
	sdk.Logger(ctx).Warn().Int("links", len(l.pending)).Msgf("links waiting for objects that do not exist are dropped at the stop: %s", l.describe(l.pending))
}

func (l *linker) farEnd(p pendingLink) string {
	if l.idProperty != "" {
		return fmt.Sprintf("the %s with %s %s", p.toType, l.idProperty, p.to)
	}
	return fmt.Sprintf("%s %s", p.toType, p.to)
}

// linkErr is the error of a record whose object HubSpot wrote and whose
// links it did not.
type linkErr struct{ err error }

func (e *linkErr) Error() string { return e.err.Error() }
func (e *linkErr) Unwrap() error { return e.err }
