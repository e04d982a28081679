package hubspottest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// jsonAppender is an answer that writes itself as JSON, byte for byte as
// encoding/json's Encoder writes it, without the Encoder's reflection and
// its second pass over what a MarshalJSON returns: a page of wide objects
// is megabytes of properties, and a CPU profile of the simulator serving a
// wide snapshot put a third of its time in that pass (appendCompact).
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// appendValue appends v as JSON: by itself if it can, else as json.Marshal
// writes it (which the Encoder matches).
func appendValue(b []byte, v any) ([]byte, error) {
	if a, ok := v.(jsonAppender); ok {
		return a.appendJSON(b)
	}
	m, err := json.Marshal(v)
	if err != nil {
		return nil, err //nolint:wrapcheck // writeJSON then falls back to the Encoder, which says what failed
	}
	return append(b, m...), nil
}

// appendString appends s as encoding/json writes a string field:
// appendJSONString's escapes, but \b and \f as such.
func appendString(b []byte, s string) []byte {
	if strings.ContainsAny(s, "\b\f") {
		m, _ := json.Marshal(s) // a string always marshals
		return append(b, m...)
	}
	return appendJSONString(b, s)
}

// appendField appends ,"name": (no comma before the first field).
func appendField(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return append(append(append(b, '"'), name...), '"', ':')
}

func (o objectJSON) appendJSON(b []byte) ([]byte, error) {
	b = appendString(appendField(append(b, '{'), "id", true), o.ID)
	b = o.Properties.appendJSON(appendField(b, "properties", false))
	b = appendString(appendField(b, "createdAt", false), o.CreatedAt)
	b = appendString(appendField(b, "updatedAt", false), o.UpdatedAt)
	b = strconv.AppendBool(appendField(b, "archived", false), o.Archived)
	if o.ArchivedAt != "" {
		b = appendString(appendField(b, "archivedAt", false), o.ArchivedAt)
	}
	if o.New != nil {
		b = strconv.AppendBool(appendField(b, "new", false), *o.New)
	}
	if o.ObjectWriteTraceID != "" {
		b = appendString(appendField(b, "objectWriteTraceId", false), o.ObjectWriteTraceID)
	}
	if len(o.Associations) > 0 {
		var err error
		if b, err = appendValue(appendField(b, "associations", false), o.Associations); err != nil {
			return nil, err
		}
	}
	if len(o.PropertiesWithHistory) > 0 {
		var err error
		if b, err = appendValue(appendField(b, "propertiesWithHistory", false), o.PropertiesWithHistory); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendList appends a slice as JSON: null when nil, as encoding/json.
func appendList[T any](b []byte, list []T) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		// A pointer in the interface, where the value would be copied to
		// the heap: one allocation an object of every page.
		var err error
		if b, err = appendValue(b, &list[i]); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func (p pageJSON[T]) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	if p.Total != nil {
		b = append(strconv.AppendInt(appendField(b, "total", true), int64(*p.Total), 10), ',')
	}
	b, err := appendList(appendField(b, "results", true), p.Results)
	if err != nil {
		return nil, err
	}
	if p.Paging != nil {
		if b, err = appendValue(appendField(b, "paging", false), p.Paging); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func (r batchResultJSON[R, E]) appendJSON(b []byte) ([]byte, error) {
	b = appendString(appendField(append(b, '{'), "status", true), r.Status)
	b, err := appendList(appendField(b, "results", false), r.Results)
	if err != nil {
		return nil, err
	}
	if r.NumErrors != 0 {
		b = strconv.AppendInt(appendField(b, "numErrors", false), int64(r.NumErrors), 10)
	}
	if len(r.Errors) > 0 {
		if b, err = appendList(appendField(b, "errors", false), r.Errors); err != nil {
			return nil, err
		}
	}
	if r.RequestedAt != "" {
		b = appendString(appendField(b, "requestedAt", false), r.RequestedAt)
	}
	b = appendString(appendField(b, "startedAt", false), r.StartedAt)
	b = appendString(appendField(b, "completedAt", false), r.CompletedAt)
	if len(r.Links) > 0 {
		if b, err = appendValue(appendField(b, "links", false), r.Links); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}
