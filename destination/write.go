package destination

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// maxCreateChecks bounds how often one batch's creates are looked up and
// sent again after HubSpot's answer was lost.
const maxCreateChecks = 3

// outcome is what became of each op of a batch: ok[j] when HubSpot wrote
// op j; failure[j] when HubSpot refused it, with its error; stopped[j] when
// its fate is unknown or it was not sent, with the error that stopped it.
type outcome struct {
	ok      []bool
	failure map[int]error
	stopped map[int]error
}

func newOutcome(n int) outcome {
	return outcome{ok: make([]bool, n), failure: map[int]error{}, stopped: map[int]error{}}
}

// stopAll is the outcome of a batch none of whose ops got a verdict.
func stopAll(n int, err error) outcome {
	out := newOutcome(n)
	for j := range n {
		out.stopped[j] = err
	}
	return out
}

func (o outcome) allOK() bool { return !slices.Contains(o.ok, false) }

// place copies part's verdicts into o, part's op j being o's op at[j].
func (o outcome) place(part outcome, at []int) {
	for j, i := range at {
		o.ok[i] = part.ok[j]
		if err := part.failure[j]; err != nil {
			o.failure[i] = err
		}
		if err := part.stopped[j]; err != nil {
			o.stopped[i] = err
		}
	}
}

func indices(lo, hi int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

func pick(batch []op, at []int) []op {
	out := make([]op, len(at))
	for k, j := range at {
		out[k] = batch[j]
	}
	return out
}

// flush sends one batch and returns how many of its records, from the
// first on, HubSpot accepted. Records HubSpot accepted after the first
// that it did not are remembered, so that their second delivery writes
// nothing.
func (d *Destination) flush(ctx context.Context, recs []opencdc.Record, batch []op) (int, error) {
	res := d.send(ctx, batch, 1)
	d.link(ctx, recs, batch, res)
	// The batch covers records start..end-1, in order; a folded upsert
	// stands for several of them.
	start, end := batch[0].index, batch[0].index
	verdict := map[int]int{} // record index -> op
	for j, o := range batch {
		for _, i := range o.records() {
			verdict[i] = j
			start, end = min(start, i), max(end, i+1)
		}
	}
	first := -1
	for i := start; i < end; i++ {
		if !res.ok[verdict[i]] {
			first = i
			break
		}
	}
	if first < 0 {
		return end - start, nil
	}
	for i := first + 1; i < end; i++ {
		if res.ok[verdict[i]] {
			d.accepted[string(recs[i].Position)] = true
		}
	}
	j := verdict[first]
	kind := batch[j].kind
	var err error
	switch {
	case errors.As(res.failure[j], new(*linkErr)):
		err = fmt.Errorf("the %s was written, but not its links: %w", kind, errors.Unwrap(res.failure[j]))
	case res.failure[j] != nil:
		err = fmt.Errorf("HubSpot rejected the %s: %w", kind, refusal(batch[j], res.failure[j]))
	case res.stopped[j] != nil:
		err = fmt.Errorf("%s: %w", kind, res.stopped[j])
	default:
		err = fmt.Errorf("HubSpot did not confirm the %s", kind)
	}
	return first - start, recordError(first, recs[first], err)
}

// send writes a batch. When HubSpot refuses the whole call for what one
// input holds (a 400 or 409 that names no input: contact creates and
// upserts are all or nothing), it halves the batch until the first bad
// record stands alone, with its own error; the records after it are not
// sent, so that none is written and reported failed.
func (d *Destination) send(ctx context.Context, batch []op, attempt int) outcome {
	res, err := d.sendOnce(ctx, batch, attempt)
	if err == nil {
		return res
	}
	if !refusedWhole(err) || batch[0].kind == opDelete {
		return stopAll(len(batch), err)
	}
	res = newOutcome(len(batch))
	if len(batch) == 1 {
		return d.refused(ctx, batch, err)
	}
	mid := len(batch) / 2
	left := d.send(ctx, batch[:mid], attempt)
	res.place(left, indices(0, mid))
	if !left.allOK() {
		return res
	}
	res.place(d.send(ctx, batch[mid:], attempt), indices(mid, len(batch)))
	return res
}

// refused is the outcome of one op HubSpot refused. A create refused
// because its unique value exists (409) counts as written when the object
// holds every value the record was sent: an earlier delivery created it,
// and its answer was lost.
func (d *Destination) refused(ctx context.Context, batch []op, err error) outcome {
	if batch[0].kind == opCreate && hubspot.StatusCode(err) == http.StatusConflict {
		if _, _, ok := batch[0].naturalKey(); ok {
			if found := d.findCreated(ctx, batch, []int{0}, err); found.ok[0] {
				return found
			}
		}
	}
	res := newOutcome(1)
	res.failure[0] = err
	return res
}

// refusedWhole reports a call HubSpot refused as a whole, having applied
// nothing: a 400 or 409 answer rather than a 207 naming inputs.
func refusedWhole(err error) bool {
	switch hubspot.StatusCode(err) {
	case http.StatusBadRequest, http.StatusConflict:
		return true
	}
	return false
}

// mayHaveApplied reports an error after which HubSpot may have carried the
// call out: a 5xx, or a connection that failed once the request was sent.
// The client retries everything else that is safe to retry.
func mayHaveApplied(err error) bool {
	status := hubspot.StatusCode(err)
	return status == 0 || status >= 500
}

// sendOnce makes one call for the batch. Its error is the call's, when
// HubSpot gave no verdict on any op.
func (d *Destination) sendOnce(ctx context.Context, batch []op, attempt int) (outcome, error) {
	switch batch[0].kind {
	case opCreate:
		return d.create(ctx, batch, attempt)
	case opUpsert:
		res, err := d.objects.BatchUpsert(ctx, d.resource.Name, d.writeInputs(batch))
		if err != nil {
			return outcome{}, err
		}
		return d.matchWrites(batch, res), nil
	case opUpdate:
		return d.update(ctx, batch)
	default:
		return d.archive(ctx, batch)
	}
}

// writeInputs builds create or upsert inputs, each with a trace id that
// current API versions echo on its result or error.
func (d *Destination) writeInputs(batch []op) []hubspot.BatchInput {
	inputs := make([]hubspot.BatchInput, len(batch))
	for j, o := range batch {
		inputs[j] = hubspot.BatchInput{Properties: o.props, ObjectWriteTraceID: traceID(j)}
		if o.kind == opUpsert {
			inputs[j].IDProperty, inputs[j].ID = d.config.IDProperty, o.key
		}
	}
	return inputs
}

// create sends creates. HubSpot has no idempotency key, so when its answer
// is lost the objects are looked up by a unique value the records carry,
// and only the missing ones are sent again, each round with its own halving.
func (d *Destination) create(ctx context.Context, batch []op, attempt int) (outcome, error) {
	res, err := d.objects.BatchCreate(ctx, d.resource.Name, d.writeInputs(batch))
	if err == nil {
		return d.matchWrites(batch, res), nil
	}
	if !mayHaveApplied(err) {
		return outcome{}, err
	}
	sdk.Logger(ctx).Warn().Err(err).Int("records", len(batch)).Int("attempt", attempt).
		Msg("HubSpot's answer to a batch create was lost; looking up which objects it created")
	out := d.findCreated(ctx, batch, indices(0, len(batch)), err)
	var missing []int
	for j := range batch {
		if !out.ok[j] && out.failure[j] == nil && out.stopped[j] == nil {
			missing = append(missing, j)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	if attempt >= maxCreateChecks {
		for _, j := range missing {
			out.stopped[j] = fmt.Errorf("HubSpot's answers to %d creates of it were lost: %w", attempt, err)
		}
		return out, nil
	}
	out.place(d.send(ctx, pick(batch, missing), attempt+1), missing)
	return out, nil
}

// findCreated looks up, by their unique values, the objects that the
// creates at the given indices would have made. One found with the values
// the record was sent counts as written; one found with other values was
// there before, and the create failed on it. Records with no unique value
// are stopped: nothing can tell whether HubSpot created them. cause is why
// HubSpot's own answer cannot tell.
func (d *Destination) findCreated(ctx context.Context, batch []op, at []int, cause error) outcome {
	out := newOutcome(len(batch))
	byProp := map[string][]int{}
	for _, j := range at {
		prop, _, ok := batch[j].naturalKey()
		if !ok {
			out.stopped[j] = fmt.Errorf("HubSpot may have created this object, and the record carries no unique value to look it up by "+
				"(a unique property such as email for contacts); sending it again could create it twice. "+
				"Set %q to a unique property to make writes idempotent: %w", KeyIDProperty, cause)
			continue
		}
		byProp[prop] = append(byProp[prop], j)
	}
	for _, prop := range slices.Sorted(maps.Keys(byProp)) {
		group := byProp[prop]
		var values []string
		for _, j := range group {
			_, v, _ := batch[j].naturalKey()
			if !slices.ContainsFunc(values, func(x string) bool { return d.sameValue(prop, x, v) }) {
				values = append(values, v)
			}
		}
		res, err := d.objects.BatchRead(ctx, d.resource.Name, hubspot.BatchReadRequest{IDs: values, IDProperty: prop, Properties: d.sentNames(batch, group)})
		if err != nil {
			err = fmt.Errorf("look up which objects HubSpot created (its answer was lost: %v): %w", cause, err)
			for _, j := range group {
				out.stopped[j] = err
			}
			continue
		}
		for _, j := range group {
			_, v, _ := batch[j].naturalKey()
			for _, obj := range res.Results {
				if got, _ := obj.Properties.Get(prop); !d.sameValue(prop, got, v) {
					continue
				}
				if d.holds(batch[j], obj) {
					out.ok[j] = true
					d.remember(batch[j], obj.ID)
				} else {
					out.failure[j] = fmt.Errorf("%s %s with %s %q exists with other values: the create did not write it (HubSpot's answer was lost: %v)",
						d.resource.Name, obj.ID, prop, v, cause)
				}
				break
			}
		}
	}
	return out
}

// sentNames are the properties the ops at the given indices set, to read
// back.
func (d *Destination) sentNames(batch []op, at []int) []string {
	var names []string
	for _, j := range at {
		for name := range batch[j].props {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// uniqueValueOf is a unique property, and its value, by which the object
// an op writes can be found: the idProperty, else a unique property the
// record sets (email for contacts). toOp derives it once per record.
func (d *Destination) uniqueValueOf(o op) (string, string) {
	if o.kind == opUpsert {
		return d.config.IDProperty, o.key
	}
	for _, name := range d.uniqueProps {
		if v, ok := o.props.Get(name); ok && strings.TrimSpace(v) != "" {
			return name, v
		}
	}
	return "", ""
}

// naturalKey is the op's unique property and value, and whether it has one.
func (o op) naturalKey() (string, string, bool) {
	return o.uniqueProp, o.uniqueValue, o.uniqueProp != ""
}

// sameValue compares values of a unique property as HubSpot does.
func (d *Destination) sameValue(prop, a, b string) bool {
	if d.resource.FoldsCase(prop) {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return a == b
}

// holds reports whether obj has every value o was sent, as HubSpot stores
// them.
func (d *Destination) holds(o op, obj hubspot.Object) bool {
	for name, v := range o.props {
		got, _ := obj.Properties.Get(name)
		if prop, _, ok := o.naturalKey(); ok && prop == name {
			if !d.sameValue(name, got, *v) {
				return false
			}
			continue
		}
		if !sameStored(d.schema[name], got, *v) {
			return false
		}
	}
	return true
}

// remember notes the id of an object a create or upsert wrote, for its
// links, and of a create, so that later records with the same key reach it.
func (d *Destination) remember(o op, id string) {
	d.objectIDs[o.index] = id
	if o.kind == opCreate && o.recKey != "" {
		d.createdIDs[o.recKey] = id
	}
}

// matchWrites reads a create or upsert answer. Current API versions echo
// each input's trace id on its result or error. Older rollouts echo none:
// then every input no error names was written, and a created object is
// matched to its input by a unique value or by all the values it was sent,
// when that match is one to one. When an error names no input, the results
// must say which inputs were written, or the batch's fate is unknown.
func (d *Destination) matchWrites(batch []op, res *hubspot.BatchResult) outcome {
	out := newOutcome(len(batch))
	traced := len(res.Results) > 0
	var untraced []hubspot.Object
	for _, obj := range res.Results {
		j, ok := traceIndex(obj.ObjectWriteTraceID, len(batch))
		if !ok {
			traced = false
			untraced = append(untraced, obj)
			continue
		}
		out.ok[j] = true
		d.remember(batch[j], obj.ID)
	}
	named, unnamed := d.failures(res, func(e hubspot.ErrorDetail) []int {
		var idx []int
		for _, t := range e.Context["objectWriteTraceId"] {
			if j, ok := traceIndex(t, len(batch)); ok {
				idx = append(idx, j)
			}
		}
		if len(idx) == 0 && batch[0].kind == opUpsert {
			for _, id := range e.IDs() {
				for j, o := range batch {
					if d.sameKey(o.key, id) {
						idx = append(idx, j)
					}
				}
			}
		}
		return idx
	})
	out.failure = named
	if traced && len(unnamed) == 0 {
		return out
	}
	var open []int
	for j := range batch {
		if _, failed := named[j]; !failed && !out.ok[j] {
			open = append(open, j)
		}
	}
	matched := d.matchCreated(batch, open, untraced)
	if len(unnamed) == 0 {
		for _, j := range open {
			out.ok[j] = true // no error names it: HubSpot wrote it
		}
		return out
	}
	cause := errors.Join(unnamed...)
	if batch[0].kind == opCreate && len(matched) == len(untraced) {
		for _, j := range open {
			if matched[j] {
				out.ok[j] = true
			} else {
				out.failure[j] = cause
			}
		}
		return out
	}
	unknown := fmt.Errorf("HubSpot answered a batch %s without trace ids and with errors that name no input, "+
		"so whether it wrote this record and those after it in the batch is unknown: %w", batch[0].kind, cause)
	for _, j := range open {
		if matched[j] {
			// A one-to-one match was written, even though others'
			// fates are unknown: were it stopped, its second delivery
			// would create it twice.
			out.ok[j] = true
			continue
		}
		out.stopped[j] = unknown
	}
	return out
}

// matchCreated matches results that carry no trace id to open create
// inputs, by a unique value or by all the values sent, taking only matches
// that are one to one. It returns the inputs matched, and remembers their
// ids.
func (d *Destination) matchCreated(batch []op, open []int, results []hubspot.Object) map[int]bool {
	matched := map[int]bool{}
	if batch[0].kind != opCreate {
		return matched
	}
	fits := func(j int, obj hubspot.Object) bool {
		if prop, v, ok := batch[j].naturalKey(); ok {
			got, _ := obj.Properties.Get(prop)
			return d.sameValue(prop, got, v)
		}
		return d.holds(batch[j], obj)
	}
	for _, obj := range results {
		var inputs []int
		for _, j := range open {
			if fits(j, obj) {
				inputs = append(inputs, j)
			}
		}
		if len(inputs) != 1 {
			continue
		}
		j := inputs[0]
		others := 0
		for _, o := range results {
			if fits(j, o) {
				others++
			}
		}
		if others == 1 {
			matched[j] = true
			d.remember(batch[j], obj.ID)
		}
	}
	return matched
}

func traceID(j int) string { return strconv.Itoa(j) }

func traceIndex(t string, n int) (int, bool) {
	j, err := strconv.Atoi(t)
	if err != nil || j < 0 || j >= n || traceID(j) != t {
		return 0, false
	}
	return j, true
}

// update sends updates by id. An id merged into another object comes back
// as the survivor, under the survivor's id: an input no error names and no
// result confirms is written when a survivor result is left for it.
func (d *Destination) update(ctx context.Context, batch []op) (outcome, error) {
	inputs := make([]hubspot.BatchInput, len(batch))
	byID := map[string][]int{}
	for j, o := range batch {
		inputs[j] = hubspot.BatchInput{ID: o.key, Properties: o.props}
		byID[o.key] = append(byID[o.key], j)
	}
	res, err := d.objects.BatchUpdate(ctx, d.resource.Name, inputs)
	if err != nil {
		return outcome{}, err
	}
	out := newOutcome(len(batch))
	named, unnamed := d.failures(res, func(e hubspot.ErrorDetail) []int {
		var idx []int
		for _, id := range e.IDs() {
			idx = append(idx, byID[id]...)
		}
		return idx
	})
	out.failure = named
	var survivors []string
	for _, obj := range res.Results {
		if js, ok := byID[obj.ID]; ok {
			for _, j := range js {
				out.ok[j] = true
			}
			continue
		}
		survivors = append(survivors, obj.ID)
	}
	var merged []string
	for j, o := range batch {
		if out.ok[j] || named[j] != nil || len(survivors) == len(merged) {
			continue
		}
		out.ok[j] = true
		merged = append(merged, o.key)
	}
	if len(merged) > 0 {
		sdk.Logger(ctx).Info().Strs("ids", merged).Strs("survivors", survivors[:len(merged)]).
			Msgf("HubSpot updated the %s these ids were merged into", d.resource.Name)
	}
	if len(unnamed) > 0 {
		unknown := fmt.Errorf("HubSpot answered a batch update with errors that name no input: %w", errors.Join(unnamed...))
		for j := range batch {
			if !out.ok[j] && named[j] == nil {
				out.stopped[j] = unknown
			}
		}
	}
	return out, nil
}

// failures maps each per-input error to the inputs it names, and returns
// the errors that name none. A property HubSpot does not know makes the
// schema be read again.
func (d *Destination) failures(res *hubspot.BatchResult, inputs func(hubspot.ErrorDetail) []int) (map[int]error, []error) {
	named := map[int]error{}
	var unnamed []error
	for _, e := range res.Errors {
		for _, sub := range e.Errors {
			if sub.Code == "PROPERTY_DOESNT_EXIST" {
				d.schemaStale = true
			}
		}
		idx := inputs(e)
		if len(idx) == 0 {
			unnamed = append(unnamed, e)
		}
		for _, j := range idx {
			named[j] = e
		}
	}
	return named, unnamed
}

// archive archives the batch's objects; with idProperty their ids are read
// first. An object that is gone already counts as archived.
func (d *Destination) archive(ctx context.Context, batch []op) (outcome, error) {
	ids := make([]string, 0, len(batch))
	for _, o := range batch {
		ids = append(ids, o.key)
	}
	if idProp := d.config.IDProperty; idProp != "" {
		res, err := d.objects.BatchRead(ctx, d.resource.Name, hubspot.BatchReadRequest{IDs: ids, IDProperty: idProp, Properties: []string{idProp}})
		if err != nil {
			return outcome{}, fmt.Errorf("find the ids of the objects to archive: %w", err)
		}
		ids = ids[:0]
		for _, obj := range res.Results {
			ids = append(ids, obj.ID)
		}
	}
	if err := d.objects.BatchArchive(ctx, d.resource.Name, ids); err != nil {
		return outcome{}, err
	}
	d.links.forget(d.resource.Name, ids)
	out := newOutcome(len(batch))
	for j := range out.ok {
		out.ok[j] = true
	}
	return out, nil
}

// link makes the links of the batch's objects that HubSpot wrote, which
// exist now. A record whose links HubSpot did not confirm fails, and
// linkOnly remembers it, so that its next delivery makes only the links.
func (d *Destination) link(ctx context.Context, recs []opencdc.Record, batch []op, res outcome) {
	if d.links == nil || batch[0].kind == opDelete {
		return
	}
	var jobs []linkJob
	var at []int
	for j, o := range batch {
		if !res.ok[j] {
			continue
		}
		d.links.written(d.resource.Name)
		if o.kind == opUpsert {
			d.links.learn(d.resource.Name, o.key, d.objectIDs[o.index])
		}
		if o.links == nil {
			continue
		}
		id := d.objectIDs[o.index]
		if o.kind == opUpdate {
			id = o.key
		}
		jobs = append(jobs, linkJob{fromID: id, links: o.links, position: string(recs[o.index].Position)})
		at = append(at, j)
	}
	if len(jobs) == 0 {
		return
	}
	errs := d.findWritten(ctx, batch, at, jobs)
	var found []linkJob
	var foundAt []int
	for k := range jobs {
		if errs[k] == nil {
			found, foundAt = append(found, jobs[k]), append(foundAt, k)
		}
	}
	for k, err := range d.links.apply(ctx, d.resource.Name, found, d.links.replace) {
		errs[foundAt[k]] = err
	}
	for k, err := range errs {
		j := at[k]
		res.ok[j] = false
		res.failure[j] = &linkErr{err}
		for _, i := range batch[j].records() {
			d.linkOnly[string(recs[i].Position)] = jobs[k]
		}
	}
}

// findWritten reads the ids of written objects whose answer named none
// (an answer without trace ids), by their unique value, and sets them in
// the jobs. It returns the error of each job whose id stays unknown.
func (d *Destination) findWritten(ctx context.Context, batch []op, at []int, jobs []linkJob) map[int]error {
	errs := map[int]error{}
	for k := range jobs {
		if jobs[k].fromID != "" {
			continue
		}
		o := batch[at[k]]
		prop, v, ok := o.naturalKey()
		if !ok {
			errs[k] = errors.New("HubSpot did not say which object it wrote, and the record has no unique value to find it by")
			continue
		}
		res, err := d.objects.BatchRead(ctx, d.resource.Name, hubspot.BatchReadRequest{IDs: []string{v}, IDProperty: prop, Properties: []string{prop}})
		if err != nil {
			errs[k] = fmt.Errorf("find the object written by its %s: %w", prop, err)
			continue
		}
		if len(res.Results) == 0 {
			errs[k] = fmt.Errorf("no %s with %s %q, which HubSpot said it wrote", d.resource.Name, prop, v)
			continue
		}
		jobs[k].fromID = res.Results[0].ID
	}
	return errs
}
