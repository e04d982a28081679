package destination

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// create sends creates. HubSpot has no idempotency key, so when its answer
// is lost the objects are looked up by a unique value the records carry,
// and only the missing ones are sent again, each round with its own halving.
func (w *crmWriter) create(ctx context.Context, batch []op, attempt int) (outcome, error) {
	res, err := w.objects.BatchCreate(ctx, w.resource.Name, w.writeInputs(batch))
	if err == nil {
		return w.matchWrites(batch, res), nil
	}
	if !mayHaveApplied(err) {
		return outcome{}, err
	}
	sdk.Logger(ctx).Warn().Err(err).Int("records", len(batch)).Int("attempt", attempt).
		Msg("HubSpot's answer to a batch create was lost; looking up which objects it created")
	out := w.findCreated(ctx, batch, indices(0, len(batch)), err)
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
	out.place(w.send(ctx, pick(batch, missing), attempt+1), missing)
	return out, nil
}

// findCreated looks up, by their unique values, the objects that the
// creates at the given indices would have made. One found with the values
// the record was sent counts as written; one found with other values was
// there before, and the create failed on it. Records with no unique value
// are stopped: nothing can tell whether HubSpot created them. cause is why
// HubSpot's own answer cannot tell.
func (w *crmWriter) findCreated(ctx context.Context, batch []op, at []int, cause error) outcome {
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
			if !slices.ContainsFunc(values, func(x string) bool { return w.sameValue(prop, x, v) }) {
				values = append(values, v)
			}
		}
		res, err := w.objects.BatchRead(ctx, w.resource.Name, hubspot.BatchReadRequest{IDs: values, IDProperty: prop, Properties: w.sentNames(batch, group)})
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
				if got, _ := obj.Properties.Get(prop); !w.sameValue(prop, got, v) {
					continue
				}
				if w.holds(batch[j], obj) {
					out.ok[j] = true
					w.remember(batch[j], obj.ID)
				} else {
					out.failure[j] = fmt.Errorf("%s %s with %s %q exists with other values: the create did not write it (HubSpot's answer was lost: %v)",
						w.resource.Name, obj.ID, prop, v, cause)
				}
				break
			}
		}
	}
	return out
}

// sentNames are the properties the ops at the given indices set, to read
// back.
func (w *crmWriter) sentNames(batch []op, at []int) []string {
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
func (w *crmWriter) uniqueValueOf(o op) (string, string) {
	if o.kind == opUpsert {
		return w.config.IDProperty, o.key
	}
	for _, name := range w.uniqueProps {
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
func (w *crmWriter) sameValue(prop, a, b string) bool {
	if w.resource.FoldsCase(prop) {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return a == b
}

// holds reports whether obj has every value o was sent, as HubSpot stores
// them.
func (w *crmWriter) holds(o op, obj hubspot.Object) bool {
	for name, v := range o.props {
		got, _ := obj.Properties.Get(name)
		if prop, _, ok := o.naturalKey(); ok && prop == name {
			if !w.sameValue(name, got, *v) {
				return false
			}
			continue
		}
		if !sameStored(w.schema[name], got, *v) {
			return false
		}
	}
	return true
}

// remember notes the id of an object a create or upsert wrote, for its
// links, and of a create, so that later records with the same key reach it.
func (w *crmWriter) remember(o op, id string) {
	w.objectIDs[o.index] = id
	if o.kind == opCreate && o.recKey != "" {
		w.createdIDs[o.recKey] = id
	}
}

// matchWrites reads a create or upsert answer. Current API versions echo
// each input's trace id on its result or error. Older rollouts echo none:
// then every input no error names was written, and a created object is
// matched to its input by a unique value or by all the values it was sent,
// when that match is one to one. When an error names no input, the results
// must say which inputs were written, or the batch's fate is unknown.
func (w *crmWriter) matchWrites(batch []op, res *hubspot.BatchResult) outcome {
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
		w.remember(batch[j], obj.ID)
	}
	named, unnamed := w.failures(res, func(e hubspot.ErrorDetail) []int {
		var idx []int
		for _, t := range e.Context["objectWriteTraceId"] {
			if j, ok := traceIndex(t, len(batch)); ok {
				idx = append(idx, j)
			}
		}
		if len(idx) == 0 && batch[0].kind == opUpsert {
			for _, id := range e.IDs() {
				for j, o := range batch {
					if w.sameKey(o.key, id) {
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
	matched := w.matchCreated(batch, open, untraced)
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
func (w *crmWriter) matchCreated(batch []op, open []int, results []hubspot.Object) map[int]bool {
	matched := map[int]bool{}
	if batch[0].kind != opCreate {
		return matched
	}
	fits := func(j int, obj hubspot.Object) bool {
		if prop, v, ok := batch[j].naturalKey(); ok {
			got, _ := obj.Properties.Get(prop)
			return w.sameValue(prop, got, v)
		}
		return w.holds(batch[j], obj)
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
			w.remember(batch[j], obj.ID)
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
