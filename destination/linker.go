package destination

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
)

// pendingRetryEvery is how often a pending link is tried again at a Write
// that wrote no object of its linked type: the object may come from
// another pipeline. A link whose linked type was written is tried at the
// end of that Write. 10 s is our choice: at most a call a link type per
// 10 s for links that wait.
const pendingRetryEvery = 10 * time.Second

// notFound is HubSpot's category of an input naming an object that does
// not exist (docs/hubspot.md, "Errors"). That a link write answers a missing
// end so, per input, is a guess the simulator shares (docs/associations.md:
// per-input failures of writes are not documented).
const notFound = "OBJECT_NOT_FOUND"

// maxLateShown is how many late links the error of associationsWait names.
const maxLateShown = 3

// linker makes the links records name, once their objects exist. One
// linker serves a destination and, routing, every resource's Destination,
// so that a link waiting for an object of another type is made when that
// type's records come.
type linker struct {
	assoc      LinkWriter
	objects    ObjectWriter
	idProperty string
	replace    bool
	wait       time.Duration
	now        func() time.Time

	// labels caches each pair of types' association types by label.
	labels map[[2]string]map[string]hubspot.AssociationSpec
	// created are the createdIDs of each type's Destination: without
	// idProperty, a linked id that is the key of a record this run
	// created is that object.
	created map[string]map[string]string
	// known are HubSpot ids by idProperty value, per type (linkids.go).
	known map[string]map[string]string
	// pending are the links whose linked object did not exist yet.
	pending []pendingLink
	// gen counts writes of objects; wrote is the gen of each type's last.
	gen   int
	wrote map[string]int
}

func newLinker(assoc LinkWriter, objects ObjectWriter, cfg Config, now func() time.Time) *linker {
	return &linker{
		assoc: assoc, objects: objects, idProperty: cfg.IDProperty,
		replace: cfg.AssociationsMode == AssociationsReplace, wait: cfg.AssociationsWait, now: now,
		labels: map[[2]string]map[string]hubspot.AssociationSpec{}, created: map[string]map[string]string{},
		known: map[string]map[string]string{}, wrote: map[string]int{},
	}
}

// linkJob is the links of one object written: its HubSpot id, the links
// its record names, the record's position, and since when the links wait
// (zero: they are new).
type linkJob struct {
	fromID   string
	links    linkSet
	position string
	since    time.Time
}

// pendingLink is one link whose linked object did not exist when tried.
type pendingLink struct {
	fromType, fromID, toType string
	to                       linkTo
	position                 string
	since, tried             time.Time
	triedGen                 int
}

// linkWrite is one link to write: the job it is of, the pair of HubSpot
// ids, and the link as the record named it.
type linkWrite struct {
	job  int
	pair hubspot.AssociationPair
	to   linkTo
}

// written notes that objects of a type were written: links waiting for
// one of them are tried at the end of the Write.
func (l *linker) written(typ string) {
	if l == nil {
		return
	}
	l.gen++
	l.wrote[typ] = l.gen
}

// register makes the ids a Destination creates for record keys known to
// the links to its type.
func (l *linker) register(typ string, createdIDs map[string]string) {
	if l != nil {
		l.created[typ] = createdIDs
	}
}

// resolveLabels looks up the association types of the labels the links
// name, from fromType: an unknown label is an error naming it, before the
// record's object is written. Each pair's labels are read once, and again
// when a record names one not seen (an admin may have added it).
func (l *linker) resolveLabels(ctx context.Context, fromType string, links linkSet) error {
	for _, toType := range slices.Sorted(maps.Keys(links)) {
		ls := links[toType]
		for i, lk := range ls {
			if len(lk.labels) == 0 {
				continue
			}
			types, err := l.labelTypes(ctx, fromType, toType, lk.labels)
			if err != nil {
				return fmt.Errorf("%s.%s %s: %w", record.FieldAssociations, toType, lk, err)
			}
			ls[i].types = types
		}
	}
	return nil
}

func (l *linker) labelTypes(ctx context.Context, fromType, toType string, labels []string) ([]hubspot.AssociationSpec, error) {
	pair := [2]string{fromType, toType}
	for fresh := false; ; fresh = true {
		byLabel, ok := l.labels[pair]
		if !ok || fresh {
			types, err := l.assoc.Labels(ctx, fromType, toType)
			if err != nil {
				return nil, err
			}
			byLabel = map[string]hubspot.AssociationSpec{}
			for _, t := range types {
				if t.Label != nil {
					byLabel[*t.Label] = hubspot.AssociationSpec{Category: t.Category, TypeID: t.TypeID}
				}
			}
			l.labels[pair] = byLabel
		}
		out := make([]hubspot.AssociationSpec, 0, len(labels))
		var unknown string
		for _, label := range labels {
			spec, ok := byLabel[label]
			if !ok {
				unknown = label
				break
			}
			out = append(out, spec)
		}
		switch {
		case unknown == "":
			return out, nil
		case fresh || !ok:
			return nil, fmt.Errorf("no association label %q from %s to %s (its labels: %s)",
				unknown, fromType, toType, strings.Join(slices.Sorted(maps.Keys(byLabel)), ", "))
		}
	}
}

// apply makes the jobs' links from objects of fromType and, with replace,
// removes the links of each type a job names that it does not name. A
// link whose linked object is not found waits (pending). It returns the
// error of each job whose links HubSpot did not confirm.
func (l *linker) apply(ctx context.Context, fromType string, jobs []linkJob, replace bool) map[int]error {
	errs := map[int]error{}
	byType := map[string][]int{}
	for i, j := range jobs {
		for typ := range j.links {
			byType[typ] = append(byType[typ], i)
		}
	}
	for _, toType := range slices.Sorted(maps.Keys(byType)) {
		at := byType[toType]
		if replace {
			l.dropPending(fromType, toType, jobs, at) // this record's list wins
		}
		if err := l.applyType(ctx, fromType, toType, jobs, at, replace, errs); err != nil {
			for _, i := range at {
				if errs[i] == nil {
					errs[i] = err
				}
			}
		}
	}
	return errs
}

func (l *linker) applyType(ctx context.Context, fromType, toType string, jobs []linkJob, at []int, replace bool, errs map[int]error) error {
	var keys []string
	for _, i := range at {
		for _, lk := range jobs[i].links[toType] {
			keys = append(keys, lk.key)
		}
	}
	ids, err := l.translate(ctx, toType, keys)
	if err != nil {
		return err
	}
	var writes []linkWrite
	for _, i := range at {
		for _, lk := range jobs[i].links[toType] {
			toID, ok := ids[lk.key]
			if !ok {
				l.hold(fromType, toType, jobs[i], lk)
				continue
			}
			writes = append(writes, linkWrite{job: i, pair: hubspot.AssociationPair{FromID: jobs[i].fromID, ToID: toID}, to: lk})
		}
	}
	if replace {
		if err := l.unlink(ctx, fromType, toType, jobs, at, ids); err != nil {
			return err
		}
	}
	return l.link(ctx, fromType, toType, jobs, writes, errs)
}

// translate maps linked ids to HubSpot ids; an id of no object is left
// out. With idProperty they are values of it in the linked type, those
// not known yet (linkids.go) read in one batch read per 100; without, HubSpot ids, or keys of records this
// run created. An id that can be neither is not sent: HubSpot ids are
// numbers.
func (l *linker) translate(ctx context.Context, toType string, keys []string) (map[string]string, error) {
	var uniq []string
	for _, k := range keys {
		if !slices.Contains(uniq, k) {
			uniq = append(uniq, k)
		}
	}
	out := map[string]string{}
	if l.idProperty == "" {
		for _, k := range uniq {
			if id, ok := l.created[toType][k]; ok {
				out[k] = id
			} else if _, err := strconv.ParseUint(k, 10, 64); err == nil {
				out[k] = k
			}
		}
		return out, nil
	}
	var missing []string
	for _, k := range uniq {
		if id, ok := l.lookup(toType, k); ok {
			out[k] = id
		} else {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	res, err := l.objects.BatchRead(ctx, toType, hubspot.BatchReadRequest{IDs: missing, IDProperty: l.idProperty, Properties: []string{l.idProperty}})
	if err != nil {
		return nil, fmt.Errorf("find the linked %s by %s: %w", toType, l.idProperty, err)
	}
	for _, obj := range res.Results {
		if v, ok := obj.Properties.Get(l.idProperty); ok {
			l.learn(toType, v, obj.ID)
		}
	}
	for _, k := range missing {
		if id, ok := l.lookup(toType, k); ok {
			out[k] = id
		}
	}
	return out, nil
}

// link writes the links: unlabeled ones with the pair's default type,
// labeled ones with their labels' types. Writing a link again changes
// nothing (docs/associations.md, "Idempotence").
func (l *linker) link(ctx context.Context, fromType, toType string, jobs []linkJob, writes []linkWrite, errs map[int]error) error {
	var plain, labeled []linkWrite
	for _, w := range writes {
		if len(w.to.types) == 0 {
			plain = append(plain, w)
		} else {
			labeled = append(labeled, w)
		}
	}
	if len(plain) > 0 {
		pairs := make([]hubspot.AssociationPair, len(plain))
		for k, w := range plain {
			pairs[k] = w.pair
		}
		res, err := l.assoc.AssociateDefault(ctx, fromType, toType, pairs)
		if err != nil {
			return err
		}
		l.failures(fromType, toType, jobs, plain, res.Errors, errs)
	}
	if len(labeled) > 0 {
		inputs := make([]hubspot.AssociationInput, len(labeled))
		for k, w := range labeled {
			inputs[k] = hubspot.AssociationInput{FromID: w.pair.FromID, ToID: w.pair.ToID, Types: w.to.types}
		}
		res, err := l.assoc.Create(ctx, fromType, toType, inputs)
		if err != nil {
			return err
		}
		l.failures(fromType, toType, jobs, labeled, res.Errors, errs)
	}
	return nil
}

// failures reads the per-input errors of a link write: an end not found
// makes the link wait; another error fails its job; an error that names
// no input fails every job of the call.
func (l *linker) failures(fromType, toType string, jobs []linkJob, writes []linkWrite, details []hubspot.ErrorDetail, errs map[int]error) {
	for _, e := range details {
		from, to := e.Context["fromObjectId"], e.Context["toObjectId"]
		named := false
		for _, w := range writes {
			if !slices.Contains(from, w.pair.FromID) || !slices.Contains(to, w.pair.ToID) {
				continue
			}
			named = true
			if e.Category == notFound {
				l.unlearn(toType, []string{w.pair.ToID})
				l.hold(fromType, toType, jobs[w.job], w.to)
			} else {
				errs[w.job] = fmt.Errorf("HubSpot refused the link to %s %s: %w", toType, w.to, e)
			}
		}
		if !named {
			for _, w := range writes {
				errs[w.job] = fmt.Errorf("HubSpot refused a link to %s without saying which: %w", toType, e)
			}
		}
	}
}

// unlink removes, for each job, the links to toType its record does not
// name, and, of a link it names with its labels (the source's shape), the
// labels it does not name.
func (l *linker) unlink(ctx context.Context, fromType, toType string, jobs []linkJob, at []int, ids map[string]string) error {
	fromIDs := make([]string, len(at))
	for k, i := range at {
		fromIDs[k] = jobs[i].fromID
	}
	read, err := l.assoc.BatchRead(ctx, fromType, toType, fromIDs)
	if err != nil {
		return err
	}
	if len(read.Errors) > 0 {
		return fmt.Errorf("read the links to %s: %w", toType, read.Errors[0])
	}
	var gone []hubspot.AssociationPair
	var labelsOff []hubspot.AssociationInput
	for _, i := range at {
		want := map[string]linkTo{}
		for _, lk := range jobs[i].links[toType] {
			if id, ok := ids[lk.key]; ok {
				want[id] = lk
			}
		}
		for _, cur := range read.Links[jobs[i].fromID] {
			lk, ok := want[cur.ToID]
			if !ok {
				gone = append(gone, hubspot.AssociationPair{FromID: jobs[i].fromID, ToID: cur.ToID})
				continue
			}
			if !lk.labelled {
				continue
			}
			var off []hubspot.AssociationSpec
			for _, t := range cur.Types {
				if t.Label != nil && !slices.Contains(lk.labels, *t.Label) {
					off = append(off, hubspot.AssociationSpec{Category: t.Category, TypeID: t.TypeID})
				}
			}
			if len(off) > 0 {
				labelsOff = append(labelsOff, hubspot.AssociationInput{FromID: jobs[i].fromID, ToID: cur.ToID, Types: off})
			}
		}
	}
	if len(gone) > 0 {
		if err := writeErr(l.assoc.Archive(ctx, fromType, toType, gone)); err != nil {
			return fmt.Errorf("remove links to %s: %w", toType, err)
		}
	}
	if len(labelsOff) > 0 {
		if err := writeErr(l.assoc.ArchiveLabels(ctx, fromType, toType, labelsOff)); err != nil {
			return fmt.Errorf("remove labels of links to %s: %w", toType, err)
		}
	}
	return nil
}

// writeErr is a write's error, or the first error of its inputs.
func writeErr(res *hubspot.AssociationsWrite, err error) error {
	if err == nil && res != nil && len(res.Errors) > 0 {
		return res.Errors[0]
	}
	return err
}
