package hubspottest

import (
	"encoding/json"
	"net/http"
	"time"
)

// Error categories HubSpot answers with.
const (
	categoryValidation = "VALIDATION_ERROR"
	categoryNotFound   = "OBJECT_NOT_FOUND"
	categoryAuth       = "INVALID_AUTHENTICATION"
)

// apiError is an error answer in HubSpot's shape.
type apiError struct {
	status   int
	category string
	message  string
	context  map[string][]string
	errors   []errorDetail
}

type errorDetail struct {
	Message string              `json:"message"`
	Code    string              `json:"code,omitempty"`
	In      string              `json:"in,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	Context       map[string][]string `json:"context,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
}

// batchErrorBody is one per-input error of a batch answer.
type batchErrorBody struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context,omitempty"`
	Errors   []errorDetail       `json:"errors,omitempty"`
}

func (e *apiError) batchError(ctx map[string][]string) batchErrorBody {
	merged := map[string][]string{}
	for k, v := range e.context {
		merged[k] = v
	}
	for k, v := range ctx {
		merged[k] = v
	}
	return batchErrorBody{Status: "error", Category: e.category, Message: e.message, Context: merged, Errors: e.errors}
}

func validationError(message, code string, propertyName string) *apiError {
	e := &apiError{status: http.StatusBadRequest, category: categoryValidation, message: message}
	if code != "" {
		d := errorDetail{Message: message, Code: code}
		if propertyName != "" {
			d.Context = ctxMap("propertyName", propertyName)
		}
		e.errors = []errorDetail{d}
	}
	return e
}

func badRequest(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, category: categoryValidation, message: message}
}

func notFound(message string) *apiError {
	return &apiError{status: http.StatusNotFound, category: categoryNotFound, message: message}
}

func ctxMap(key string, values ...string) map[string][]string {
	return map[string][]string{key: values}
}

// objectJSON is an object on the wire.
type objectJSON struct {
	ID                 string    `json:"id"`
	Properties         propsJSON `json:"properties"`
	CreatedAt          string    `json:"createdAt"`
	UpdatedAt          string    `json:"updatedAt"`
	Archived           bool      `json:"archived"`
	ArchivedAt         string    `json:"archivedAt,omitempty"`
	New                *bool     `json:"new,omitempty"`
	ObjectWriteTraceID string    `json:"objectWriteTraceId,omitempty"`
	// Associations are the links the v3 associations= parameter asked for
	// (associations_inline.go).
	Associations map[string]inlineJSON `json:"associations,omitempty"`
	// PropertiesWithHistory are the values of the properties that
	// propertiesWithHistory asked for (history.go).
	PropertiesWithHistory map[string][]historyJSON `json:"propertiesWithHistory,omitempty"`
}

type nextJSON struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

type pagingJSON struct {
	Next nextJSON `json:"next"`
}

type pageJSON[T any] struct {
	Total   *int        `json:"total,omitempty"`
	Results []T         `json:"results"`
	Paging  *pagingJSON `json:"paging,omitempty"`
}

// batchJSON is a batch answer of objects; the associations calls answer
// in the same shape with their own results and errors.
type batchJSON = batchResultJSON[objectJSON, batchErrorBody]

type batchResultJSON[R, E any] struct {
	Status      string            `json:"status"`
	Results     []R               `json:"results"`
	NumErrors   int               `json:"numErrors,omitempty"`
	Errors      []E               `json:"errors,omitempty"`
	RequestedAt string            `json:"requestedAt,omitempty"`
	StartedAt   string            `json:"startedAt"`
	CompletedAt string            `json:"completedAt"`
	Links       map[string]string `json:"links,omitempty"`
}

// fieldsOf are the properties a request that asked for asked gets, each
// once, in order: the type's defaults when it named none; else the
// created, modified and id properties, which HubSpot always adds, and the
// names asked for. Names the type does not have are left out, as HubSpot
// does. A page computes them once for all its objects.
func fieldsOf(t *objectType, asked []string) fieldList {
	if len(asked) == 0 {
		return newFieldList(t.slots, t.defaults)
	}
	names := append([]string{t.created, t.modified, "hs_object_id"}, asked...)
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, n := range names {
		if _, ok := t.byName[n]; ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return newFieldList(t.slots, out)
}

// render shows an object with the properties fields (fieldsOf): those
// that exist but have no value are null.
func render(props values, id int64, createdAt, updatedAt time.Time, archivedAt *time.Time, fields fieldList) objectJSON {
	out := objectJSON{
		ID: idString(id), Properties: propsJSON{fields: fields, props: props},
		CreatedAt: formatTime(createdAt), UpdatedAt: formatTime(updatedAt),
	}
	if archivedAt != nil {
		out.Archived = true
		out.ArchivedAt = formatTime(*archivedAt)
	}
	return out
}

func renderRecord(r *record, fields fieldList) objectJSON {
	var archivedAt *time.Time
	if r.archived {
		archivedAt = &r.archivedAt
	}
	return render(r.props, r.id, r.createdAt, r.updatedAt, archivedAt, fields)
}

// writeJSON writes v as encoding/json's Encoder does; pages and batches
// of objects write themselves (wireappend.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONIn(nil, w, status, v)
}

// writeJSONIn is writeJSON with the buffer to write in, which it returns.
func writeJSONIn(buf []byte, w http.ResponseWriter, status int, v any) []byte {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if a, ok := v.(jsonAppender); ok {
		if b, err := a.appendJSON(buf); err == nil {
			w.WriteHeader(status)
			b = append(b, '\n')
			_, _ = w.Write(b)
			return b
		}
	}
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
	return buf
}
