package destination

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
)

// A record's payload may carry an associations field: the objects its
// object links to, by linked type. The destination makes those links once
// the object exists (linker.go); the field is never a property. Two shapes
// are read: the source's, {"companies": [{"id": "7", "labels": ["Primary"]}]},
// and a simple one, {"companies": ["7", 8]}.

// linkTo is one object a record links its object to.
type linkTo struct {
	// key is the linked object's HubSpot id, or with idProperty its value
	// of that property.
	key string
	// labels are the link's association labels by name. labelled says the
	// record listed them (the source's shape, even with none), so that
	// replace mode makes them exact; the simple shape leaves the labels of
	// a link as they are.
	labels   []string
	labelled bool
	// types are the labels' association types, which toOp looks up.
	types []hubspot.AssociationSpec
}

// linkSet is what an associations field names: the linked objects by
// linked type, a resource name. A type named with no objects is an empty
// list, which replace mode takes for "no links of this type"; a record
// without the field has a nil linkSet.
type linkSet map[string][]linkTo

// String names a link's far end for errors.
func (l linkTo) String() string { return strconv.Quote(l.key) }

// readLinks reads a payload's associations field; nil when it has none
// (or it is null).
func readLinks(data map[string]any) (linkSet, error) {
	v := data[record.FieldAssociations]
	if v == nil {
		return nil, nil
	}
	m, ok := asMap(v)
	if !ok {
		return nil, fmt.Errorf("%s is a %T, not a map of linked types to lists of ids", record.FieldAssociations, v)
	}
	out := linkSet{}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		where := record.FieldAssociations + "." + name
		if m[name] == nil {
			continue // null: the type is not named
		}
		res, err := linkType(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if res.Kind != hubspot.KindCRMObject || res.IsOwners {
			return nil, fmt.Errorf("%s: %s are not CRM objects, which links join", where, res.Name)
		}
		items, ok := asList(m[name])
		if !ok {
			return nil, fmt.Errorf("%s is a %T, not a list of ids", where, m[name])
		}
		links := out[res.Name]
		if links == nil {
			links = []linkTo{}
		}
		for i, it := range items {
			l, err := readLink(it)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", where, i, err)
			}
			links = addLink(links, l)
		}
		out[res.Name] = links
	}
	return out, nil
}

// linkType is the type an associations key names: a resource name, or a
// custom object's type id as the source writes it, as an Avro field name
// ("_2_12345" for 2-12345, typed.FieldName).
func linkType(name string) (hubspot.Resource, error) {
	res, err := config.LookupResource(name)
	if err == nil {
		return res, nil
	}
	if a, b, ok := strings.Cut(strings.TrimPrefix(name, "_"), "_"); ok && strings.HasPrefix(name, "_") && isDigits(a) && isDigits(b) {
		if res, err2 := config.LookupResource(a + "-" + b); err2 == nil {
			return res, nil
		}
	}
	return res, err
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// addLink adds l to links, or its labels to the link of the same key: an
// object named twice is one link.
func addLink(links []linkTo, l linkTo) []linkTo {
	for i, have := range links {
		if have.key == l.key {
			have.labels, have.types = slices.Clone(have.labels), slices.Clone(have.types)
			for _, label := range l.labels {
				if !slices.Contains(have.labels, label) {
					have.labels = append(have.labels, label)
				}
			}
			for _, t := range l.types {
				if !slices.Contains(have.types, t) {
					have.types = append(have.types, t)
				}
			}
			have.labelled = have.labelled || l.labelled
			links[i] = have
			return links
		}
	}
	return append(links, l)
}

// readLink reads one linked object: an id, or {"id": ..., "labels": [...]}.
func readLink(v any) (linkTo, error) {
	m, ok := asMap(v)
	if !ok {
		key, err := linkID(v)
		return linkTo{key: key}, err
	}
	key, err := linkID(m[record.FieldID])
	if err != nil {
		return linkTo{}, fmt.Errorf("%s: %w", record.FieldID, err)
	}
	l := linkTo{key: key}
	raw, ok := m[record.FieldLabels]
	if !ok || raw == nil {
		return l, nil
	}
	labels, ok := asList(raw)
	if !ok {
		return linkTo{}, fmt.Errorf("labels is a %T, not a list of label names", raw)
	}
	l.labelled = true
	for i, x := range labels {
		s, ok := x.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return linkTo{}, fmt.Errorf("labels[%d] is %s, not a label name", i, quoteValue(x))
		}
		if !slices.Contains(l.labels, s) {
			l.labels = append(l.labels, s)
		}
	}
	return l, nil
}

// linkID reads a linked object's id: a string or a whole number.
func linkID(v any) (string, error) {
	bad := fmt.Errorf("the id %s is a %T, neither a string nor a whole number", quoteValue(v), v)
	switch v := v.(type) {
	case nil:
		return "", errors.New("no id")
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return "", errors.New("the id is empty")
		}
		// An id out of the range of the values HubSpot stores names no
		// object, and never will: it fails the record rather than wait.
		if err := checkLinkID(s); err != nil {
			return "", fmt.Errorf("the id %s names no object HubSpot can hold: %w", quoteValue(s), err)
		}
		return s, nil
	case json.Number:
		if _, err := strconv.ParseInt(v.String(), 10, 64); err != nil {
			return "", bad
		}
		return v.String(), nil
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return strconv.FormatInt(rv.Int(), 10), nil
	case rv.CanUint():
		return strconv.FormatUint(rv.Uint(), 10), nil
	case rv.CanFloat():
		if f := rv.Float(); f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatFloat(f, 'f', -1, 64), nil
		}
	}
	return "", bad
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case opencdc.StructuredData:
		return m, true
	}
	return nil, false
}

// asList reads a list of any element type ([]any from JSON, []string or
// []int from Go); nil is an empty list.
func asList(v any) ([]any, bool) {
	if v == nil {
		return nil, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// merge folds a later record's links for one object into these: in
// replace mode the later list of a type wins, as it would if written
// after; in add mode both are added.
func (s linkSet) merge(later linkSet, replace bool) linkSet {
	if s == nil || later == nil {
		if s == nil {
			return later
		}
		return s
	}
	out := maps.Clone(s)
	for typ, links := range later {
		if replace {
			out[typ] = links
			continue
		}
		merged := slices.Clone(out[typ])
		for _, l := range links {
			merged = addLink(merged, l)
		}
		out[typ] = merged
	}
	return out
}

// readLinks reads a record's links and looks up the labels they name.
func (w *crmWriter) readLinks(ctx context.Context, data map[string]any) (linkSet, error) {
	links, err := readLinks(data)
	if err != nil || links == nil {
		return nil, err
	}
	if w.links == nil {
		return nil, fmt.Errorf("%s: this destination makes no links", record.FieldAssociations)
	}
	return links, w.links.resolveLabels(ctx, w.resource.Name, links)
}
