package destination

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// opKind is the HubSpot call a record becomes.
type opKind int

const (
	opCreate opKind = iota
	opUpsert
	opUpdate
	opDelete
)

func (k opKind) String() string {
	return [...]string{"create", "upsert", "update", "archive"}[k]
}

// op is one input of a HubSpot call: one record, or several upserts of one
// object.
type op struct {
	kind  opKind
	index int    // in the records of Write
	key   string // the HubSpot id, or the idProperty value for upserts and deletes with idProperty
	// recKey is the record's own key, under which a create is remembered.
	recKey string
	props  hubspot.Properties
	// merged are the indices of later records folded into this upsert.
	merged []int
	// uniqueProp and uniqueValue find the object the op writes by a value
	// HubSpot keeps unique: the idProperty, else one the record sets
	// (email for contacts); empty when there is none.
	uniqueProp, uniqueValue string
	// links are the links the record's associations field names, made
	// once the object is written; nil without the field.
	links linkSet
}

// records are the indices of the records the op writes.
func (o op) records() []int { return append([]int{o.index}, o.merged...) }

// touches reports whether o writes an object the pending batch writes too:
// then the batch goes first, so that changes to one object keep their order
// and a batch never names one object twice (HubSpot refuses that whole).
func (w *crmWriter) touches(pending []op, o op) bool {
	for _, p := range pending {
		if (o.key != "" && w.sameKey(p.key, o.key)) || (o.recKey != "" && p.recKey == o.recKey) || w.sameNaturalKey(p, o) {
			return true
		}
	}
	return false
}

// sameNaturalKey reports two creates of one unique value: HubSpot would
// refuse the second, and an answer without trace ids could not tell them
// apart.
func (w *crmWriter) sameNaturalKey(a, b op) bool {
	if a.kind != opCreate || b.kind != opCreate {
		return false
	}
	return a.uniqueProp != "" && a.uniqueProp == b.uniqueProp && w.sameValue(a.uniqueProp, a.uniqueValue, b.uniqueValue)
}

// sameUpsert finds the pending upsert of the object o upserts too, when
// nothing else in the batch writes it; -1 when there is none.
func (w *crmWriter) sameUpsert(pending []op, o op) int {
	if o.kind != opUpsert {
		return -1
	}
	found := -1
	for j, p := range pending {
		switch {
		case p.kind == opUpsert && w.sameKey(p.key, o.key):
			found = j
		case o.recKey != "" && p.recKey == o.recKey:
			return -1
		}
	}
	return found
}

// fold returns the upsert o with a later upsert of the same object folded
// in: its values win, as they would if sent after.
func (o op) fold(later op, replace bool) op {
	props := maps.Clone(o.props)
	maps.Copy(props, later.props)
	o.props = props
	o.merged = append(slices.Clone(o.merged), later.records()...)
	o.links = o.links.merge(later.links, replace)
	return o
}

// sameKey compares keys as HubSpot does: an upsert on email folds case.
func (w *crmWriter) sameKey(a, b string) bool {
	return w.sameValue(w.config.IDProperty, a, b)
}

// toOp reads what a record asks of HubSpot.
func (w *crmWriter) toOp(ctx context.Context, i int, r opencdc.Record) (op, error) {
	recKey, err := w.recordKeyOf(r)
	if err != nil {
		return op{}, err
	}
	o := op{index: i, recKey: recKey, key: recKey}
	idProp := w.config.IDProperty
	switch r.Operation {
	case opencdc.OperationCreate, opencdc.OperationSnapshot, opencdc.OperationUpdate:
		data, err := recordData(r.Payload.After)
		if err != nil {
			return op{}, err
		}
		if o.links, err = w.readLinks(ctx, data); err != nil {
			return op{}, err
		}
		if o.props, err = w.convert(ctx, propertiesOf(data)); err != nil {
			return op{}, err
		}
		switch {
		case idProp != "":
			o.kind = opUpsert
			if v, ok := o.props.Get(idProp); ok && v != "" {
				o.key = v
			} else {
				// A null or empty id value would clear the key HubSpot
				// finds the object by; the key, when it says so, names
				// the object (idvalue.go).
				delete(o.props, idProp)
				if o.key, err = w.keyIDValue(r, "the payload"); err != nil {
					return op{}, err
				}
			}
		case r.Operation == opencdc.OperationUpdate:
			o.kind = opUpdate
		default:
			o.kind = opCreate
			o.key = "" // HubSpot gives the id
		}
	case opencdc.OperationDelete:
		o.kind = opDelete
		if idProp != "" {
			data, err := recordData(r.Payload.Before)
			if err != nil {
				return op{}, err
			}
			// The value as an upsert writes it: a number or other
			// scalar of a typed source too.
			if v, err := keyString(propertiesOf(data)[idProp]); err == nil && v != "" {
				o.key = v
			} else if o.key, err = w.keyIDValue(r, "the before image"); err != nil {
				return op{}, err
			}
		}
	default:
		return op{}, fmt.Errorf("operation %q is not one the destination writes", r.Operation)
	}
	if err := canDo(w.resource, o.kind); err != nil {
		return op{}, err
	}
	if o.kind != opCreate && o.key == "" {
		return op{}, fmt.Errorf("a record of operation %s needs the object's id in its key", r.Operation)
	}
	o.uniqueProp, o.uniqueValue = w.uniqueValueOf(o)
	return o, nil
}

// convert turns payload properties into HubSpot values, checking them
// against the resource's properties.
func (w *crmWriter) convert(ctx context.Context, in map[string]any) (hubspot.Properties, error) {
	unknown := w.unknown(in)
	if len(unknown) > 0 && w.schemaStale {
		if err := w.readSchema(ctx); err != nil {
			return nil, err
		}
		unknown = w.unknown(in)
	}
	if len(unknown) > 0 {
		w.schemaStale = true // read it again before the next verdict
		return nil, fmt.Errorf("%s has no properties %s", w.resource.Name, strings.Join(unknown, ", "))
	}
	out := make(hubspot.Properties, len(in))
	var readOnly []string
	for name, v := range in {
		p := w.schema[name]
		if p.ReadOnly() {
			readOnly = append(readOnly, name)
			continue
		}
		s, err := formatValue(p, v)
		if err == nil {
			err = w.checkValueNow(ctx, p, s)
		}
		if err != nil {
			return nil, fmt.Errorf("property %q: %w (the value: %s)", name, err, quoteValue(v))
		}
		out[name] = &s
	}
	if len(readOnly) > 0 {
		slices.Sort(readOnly)
		if w.config.ReadOnlyProperties == ReadOnlyFail {
			return nil, fmt.Errorf("sets read-only properties %s, which HubSpot computes itself (readOnlyProperties: skip leaves them out)", strings.Join(readOnly, ", "))
		}
		sdk.Logger(ctx).Debug().Strs("properties", readOnly).Msg("left out read-only properties")
	}
	return out, nil
}

func (w *crmWriter) unknown(in map[string]any) []string {
	var out []string
	for name := range in {
		if _, ok := w.schema[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
