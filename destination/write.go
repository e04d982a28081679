package destination

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

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
func (w *crmWriter) flush(ctx context.Context, recs []opencdc.Record, batch []op) (int, error) {
	res := w.send(ctx, batch, 1)
	w.link(ctx, recs, batch, res)
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
			w.accepted[string(recs[i].Position)] = true
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
func (w *crmWriter) send(ctx context.Context, batch []op, attempt int) outcome {
	res, err := w.sendOnce(ctx, batch, attempt)
	if err == nil {
		return res
	}
	if !refusedWhole(err) || batch[0].kind == opDelete {
		return stopAll(len(batch), err)
	}
	res = newOutcome(len(batch))
	if len(batch) == 1 {
		return w.refused(ctx, batch, err)
	}
	mid := len(batch) / 2
	left := w.send(ctx, batch[:mid], attempt)
	res.place(left, indices(0, mid))
	if !left.allOK() {
		return res
	}
	res.place(w.send(ctx, batch[mid:], attempt), indices(mid, len(batch)))
	return res
}

// refused is the outcome of one op HubSpot refused. A create refused
// because its unique value exists (409) counts as written when the object
// holds every value the record was sent: an earlier delivery created it,
// and its answer was lost.
func (w *crmWriter) refused(ctx context.Context, batch []op, err error) outcome {
	if batch[0].kind == opCreate && hubspot.StatusCode(err) == http.StatusConflict {
		if _, _, ok := batch[0].naturalKey(); ok {
			if found := w.findCreated(ctx, batch, []int{0}, err); found.ok[0] {
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
func (w *crmWriter) sendOnce(ctx context.Context, batch []op, attempt int) (outcome, error) {
	switch batch[0].kind {
	case opCreate:
		return w.create(ctx, batch, attempt)
	case opUpsert:
		res, err := w.objects.BatchUpsert(ctx, w.resource.Name, w.writeInputs(batch))
		if err != nil {
			return outcome{}, err
		}
		return w.matchWrites(batch, res), nil
	case opUpdate:
		return w.update(ctx, batch)
	default:
		return w.archive(ctx, batch)
	}
}

// writeInputs builds create or upsert inputs, each with a trace id that
// current API versions echo on its result or error.
func (w *crmWriter) writeInputs(batch []op) []hubspot.BatchInput {
	inputs := make([]hubspot.BatchInput, len(batch))
	for j, o := range batch {
		inputs[j] = hubspot.BatchInput{Properties: o.props, ObjectWriteTraceID: traceID(j)}
		if o.kind == opUpsert {
			inputs[j].IDProperty, inputs[j].ID = w.config.IDProperty, o.key
		}
	}
	return inputs
}

// update sends updates by id. An id merged into another object comes back
// as the survivor, under the survivor's id: an input no error names and no
// result confirms is written when a survivor result is left for it.
func (w *crmWriter) update(ctx context.Context, batch []op) (outcome, error) {
	inputs := make([]hubspot.BatchInput, len(batch))
	byID := map[string][]int{}
	for j, o := range batch {
		inputs[j] = hubspot.BatchInput{ID: o.key, Properties: o.props}
		byID[o.key] = append(byID[o.key], j)
	}
	res, err := w.objects.BatchUpdate(ctx, w.resource.Name, inputs)
	if err != nil {
		return outcome{}, err
	}
	out := newOutcome(len(batch))
	named, unnamed := w.failures(res, func(e hubspot.ErrorDetail) []int {
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
			Msgf("HubSpot updated the %s these ids were merged into", w.resource.Name)
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
func (w *crmWriter) failures(res *hubspot.BatchResult, inputs func(hubspot.ErrorDetail) []int) (map[int]error, []error) {
	named := map[int]error{}
	var unnamed []error
	for _, e := range res.Errors {
		for _, sub := range e.Errors {
			if sub.Code == "PROPERTY_DOESNT_EXIST" {
				w.schemaStale = true
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
func (w *crmWriter) archive(ctx context.Context, batch []op) (outcome, error) {
	ids := make([]string, 0, len(batch))
	for _, o := range batch {
		ids = append(ids, o.key)
	}
	if idProp := w.config.IDProperty; idProp != "" {
		res, err := w.objects.BatchRead(ctx, w.resource.Name, hubspot.BatchReadRequest{IDs: ids, IDProperty: idProp, Properties: []string{idProp}})
		if err != nil {
			return outcome{}, fmt.Errorf("find the ids of the objects to archive: %w", err)
		}
		ids = ids[:0]
		for _, obj := range res.Results {
			ids = append(ids, obj.ID)
		}
	}
	if err := w.objects.BatchArchive(ctx, w.resource.Name, ids); err != nil {
		return outcome{}, err
	}
	w.links.forget(w.resource.Name, ids)
	out := newOutcome(len(batch))
	for j := range out.ok {
		out.ok[j] = true
	}
	return out, nil
}
