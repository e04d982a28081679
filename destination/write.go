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

// maxCreateChecks bounds how often one batch's creates are checked and sent
// again after HubSpot's answer was lost.
const maxCreateChecks = 3

// outcome is what HubSpot did with each op of a batch: ok[j] when it wrote
// op j; failure[j] says why it did not, when HubSpot said.
type outcome struct {
	ok      []bool
	failure map[int]error
}

func newOutcome(n int) outcome { return outcome{ok: make([]bool, n), failure: map[int]error{}} }

func (o outcome) allOK() bool { return !slices.Contains(o.ok, false) }

// place copies part's verdicts into o, part's op j being o's op at[j].
func (o outcome) place(part outcome, at []int) {
	for j, i := range at {
		o.ok[i] = part.ok[j]
		if err := part.failure[j]; err != nil {
			o.failure[i] = err
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

// flush sends one batch and returns how many of its records, from the
// first on, HubSpot accepted. Records HubSpot accepted after the first
// failure are remembered, so that their second delivery writes nothing.
func (d *Destination) flush(ctx context.Context, recs []opencdc.Record, batch []op) (int, error) {
	res, err := d.send(ctx, batch)
	if err != nil {
		return 0, recordError(batch[0].index, recs[batch[0].index], fmt.Errorf("%s: %w", batch[0].kind, err))
	}
	first := slices.Index(res.ok, false)
	if first < 0 {
		return len(batch), nil
	}
	for j := first + 1; j < len(batch); j++ {
		if res.ok[j] {
			d.accepted[string(recs[batch[j].index].Position)] = true
		}
	}
	cause := res.failure[first]
	if cause == nil {
		cause = errors.New("HubSpot did not confirm it")
	}
	o := batch[first]
	return first, recordError(o.index, recs[o.index], fmt.Errorf("HubSpot rejected the %s: %w", o.kind, cause))
}

// send writes a batch. When HubSpot refuses the whole call for what one
// input holds (a 400 or 409 that names no input: contact creates and
// upserts are all or nothing), it halves the batch until the first bad
// record stands alone, with its own error; the records after it are left
// for their next delivery, so that none is written and reported failed.
func (d *Destination) send(ctx context.Context, batch []op) (outcome, error) {
	res, err := d.sendOnce(ctx, batch)
	if err == nil || !refusedWhole(err) || batch[0].kind == opDelete {
		return res, err
	}
	res = newOutcome(len(batch))
	if len(batch) == 1 {
		res.failure[0] = err
		return res, nil
	}
	mid := len(batch) / 2
	left, err := d.send(ctx, batch[:mid])
	if err != nil {
		return res, err
	}
	res.place(left, indices(0, mid))
	if !left.allOK() {
		return res, nil
	}
	right, err := d.send(ctx, batch[mid:])
	if err != nil {
		return res, err
	}
	res.place(right, indices(mid, len(batch)))
	return res, nil
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

func (d *Destination) sendOnce(ctx context.Context, batch []op) (outcome, error) {
	switch batch[0].kind {
	case opCreate:
		return d.create(ctx, batch, 1)
	case opUpsert:
		inputs := d.writeInputs(batch)
		res, err := d.objects.BatchUpsert(ctx, d.resource.Name, inputs)
		if err != nil {
			return outcome{}, err
		}
		return d.matchWrites(ctx, batch, res)
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
// and only the missing ones are sent again.
func (d *Destination) create(ctx context.Context, batch []op, attempt int) (outcome, error) {
	res, err := d.objects.BatchCreate(ctx, d.resource.Name, d.writeInputs(batch))
	switch {
	case err == nil:
		return d.matchWrites(ctx, batch, res)
	case !mayHaveApplied(err) || attempt > maxCreateChecks:
		return outcome{}, err
	}
	sdk.Logger(ctx).Warn().Err(err).Int("records", len(batch)).
		Msg("HubSpot's answer to a batch create was lost; checking which objects it created")
	out, found, err := d.findCreated(ctx, batch, indices(0, len(batch)), err)
	if err != nil {
		return outcome{}, err
	}
	var missing []int
	for j := range batch {
		if !found[j] {
			missing = append(missing, j)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	again := make([]op, len(missing))
	for k, j := range missing {
		again[k] = batch[j]
	}
	part, err := d.create(ctx, again, attempt+1)
	if err != nil {
		return outcome{}, err
	}
	out.place(part, missing)
	return out, nil
}

// findCreated looks up, by their unique values, the objects that creates
// at the given indices would have made. Those found count as written. cause
// is why HubSpot's own answer cannot tell.
func (d *Destination) findCreated(ctx context.Context, batch []op, at []int, cause error) (outcome, map[int]bool, error) {
	out := newOutcome(len(batch))
	found := map[int]bool{}
	byProp := map[string][]int{}
	for _, j := range at {
		prop, _, ok := d.naturalKey(batch[j])
		if !ok {
			return out, nil, fmt.Errorf("HubSpot may have created this object, and the record carries no unique value to check that by "+
				"(a unique property such as email for contacts); sending it again could create it twice. "+
				"Set %q to a unique property to make writes idempotent: %w", KeyIDProperty, cause)
		}
		byProp[prop] = append(byProp[prop], j)
	}
	for _, prop := range slices.Sorted(maps.Keys(byProp)) {
		at := byProp[prop]
		values := make([]string, len(at))
		for k, j := range at {
			_, values[k], _ = d.naturalKey(batch[j])
		}
		res, err := d.objects.BatchRead(ctx, d.resource.Name, hubspot.BatchReadRequest{IDs: values, IDProperty: prop, Properties: []string{prop}})
		if err != nil {
			return out, nil, fmt.Errorf("check which objects HubSpot created (its answer was lost: %v): %w", cause, err)
		}
		for _, obj := range res.Results {
			v, _ := obj.Properties.Get(prop)
			for k, j := range at {
				if !found[j] && d.sameValue(prop, v, values[k]) {
					found[j], out.ok[j] = true, true
					d.remember(batch[j], obj.ID)
				}
			}
		}
	}
	return out, found, nil
}

// naturalKey is a unique property, and its value, by which the object an
// op writes can be found: the idProperty, else a unique property the
// record sets (email for contacts).
func (d *Destination) naturalKey(o op) (string, string, bool) {
	if o.kind == opUpsert {
		return d.config.IDProperty, o.key, true
	}
	candidates := slices.Clone(d.resource.UniqueProperties)
	var declared []string
	for name, p := range d.schema {
		if p.HasUniqueValue {
			declared = append(declared, name)
		}
	}
	slices.Sort(declared)
	for _, name := range append(candidates, declared...) {
		if v, ok := o.props.Get(name); ok && strings.TrimSpace(v) != "" {
			return name, v, true
		}
	}
	return "", "", false
}

// sameValue compares values of a unique property as HubSpot does.
func (d *Destination) sameValue(prop, a, b string) bool {
	if d.resource.FoldsCase(prop) {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return a == b
}

// remember notes the id of an object a create made, so that later records
// with the same key reach it.
func (d *Destination) remember(o op, id string) {
	if o.kind == opCreate && o.recKey != "" {
		d.createdIDs[o.recKey] = id
	}
}

// matchWrites reads a create or upsert answer. Current API versions echo
// each input's trace id on its result or error. Older rollouts echo none:
// then every input no error names was written, and a created object is
// matched to its input by a unique value it was sent, or not at all. An
// error that names no input is resolved by looking the objects up.
func (d *Destination) matchWrites(ctx context.Context, batch []op, res *hubspot.BatchResult) (outcome, error) {
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
		return out, nil
	}
	// No trace ids: every input no error names was written, unless an
	// error names no input; then look the unnamed inputs up.
	var open []int
	for j := range batch {
		if _, failed := named[j]; !failed && !out.ok[j] {
			open = append(open, j)
		}
	}
	matched := d.matchCreated(batch, open, untraced)
	if len(unnamed) == 0 {
		for _, j := range open {
			out.ok[j] = true
		}
		return out, nil
	}
	// An error names no input: the results say which inputs were written,
	// if each of them matches one input by the values it was sent.
	cause := errors.Join(unnamed...)
	if batch[0].kind != opCreate || len(matched) != len(untraced) {
		return out, fmt.Errorf("HubSpot answered a batch %s without trace ids and with errors that name no input, "+
			"so which records it wrote is unknown: %w", batch[0].kind, cause)
	}
	for _, j := range open {
		if matched[j] {
			out.ok[j] = true
			continue
		}
		out.failure[j] = cause
	}
	return out, nil
}

// matchCreated matches results that carry no trace id to the open create
// inputs: by a unique value the input was sent, else by all of its values.
// It returns the inputs matched, and remembers their ids.
func (d *Destination) matchCreated(batch []op, open []int, results []hubspot.Object) map[int]bool {
	matched := map[int]bool{}
	if batch[0].kind != opCreate {
		return matched
	}
	for _, obj := range results {
		for _, j := range open {
			if !matched[j] && d.wrote(batch[j], obj) {
				matched[j] = true
				d.remember(batch[j], obj.ID)
				break
			}
		}
	}
	return matched
}

// wrote reports whether obj holds what o was sent: the same unique value,
// or, without one, the same value of every property.
func (d *Destination) wrote(o op, obj hubspot.Object) bool {
	if prop, v, ok := d.naturalKey(o); ok {
		got, _ := obj.Properties.Get(prop)
		return d.sameValue(prop, got, v)
	}
	for name, v := range o.props {
		got, _ := obj.Properties.Get(name)
		if !sameStored(d.schema[name], got, *v) {
			return false
		}
	}
	return true
}

func traceID(j int) string { return strconv.Itoa(j) }

func traceIndex(t string, n int) (int, bool) {
	j, err := strconv.Atoi(t)
	if err != nil || j < 0 || j >= n || traceID(j) != t {
		return 0, false
	}
	return j, true
}

// update sends updates by id. Every input no error names was written: an
// id merged into another object comes back as the survivor, under the
// survivor's id.
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
	if len(unnamed) > 0 {
		return out, fmt.Errorf("HubSpot answered a batch update with errors that name no input, so which records it wrote is unknown: %w", errors.Join(unnamed...))
	}
	out.failure = named
	seen := map[string]bool{}
	for _, obj := range res.Results {
		seen[obj.ID] = true
	}
	var merged, survivors []string
	for j, o := range batch {
		if _, failed := named[j]; failed {
			continue
		}
		out.ok[j] = true
		if !seen[o.key] {
			merged = append(merged, o.key)
		}
	}
	for _, obj := range res.Results {
		if len(byID[obj.ID]) == 0 {
			survivors = append(survivors, obj.ID)
		}
	}
	if len(merged) > 0 {
		sdk.Logger(ctx).Info().Strs("ids", merged).Strs("survivors", survivors).
			Msgf("HubSpot updated the objects these %s were merged into", d.resource.Name)
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
	out := newOutcome(len(batch))
	for j := range out.ok {
		out.ok[j] = true
	}
	return out, nil
}
