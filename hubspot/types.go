package hubspot

import (
	"time"
)

// Properties holds an object's property values. HubSpot sends every value as
// a string or as null; a nil pointer is null, which is not the same as "".
type Properties map[string]*string

// String returns a pointer to s, for building Properties.
func String(s string) *string { return &s }

// Get returns the value of a property and whether it is set and not null.
func (p Properties) Get(name string) (string, bool) {
	v, ok := p[name]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

// Object is a HubSpot CRM object as the objects API returns it.
type Object struct {
	ID         string     `json:"id"`
	Properties Properties `json:"properties"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	Archived   bool       `json:"archived"`
	ArchivedAt *time.Time `json:"archivedAt,omitempty"`
	// New is set by batch upsert: true when the input created the object.
	New *bool `json:"new,omitempty"`
	// ObjectWriteTraceID echoes the trace id of the create or upsert input
	// that produced this result.
	ObjectWriteTraceID string `json:"objectWriteTraceId,omitempty"`
	// Associations are the linked ids of the types a list or read asked
	// for (ListOptions.Associations), by type: associations.go.
	Associations map[string]InlineAssociations `json:"associations,omitempty"`
	// PropertiesWithHistory are the values each property a read asked
	// the history of held (ListOptions.PropertiesWithHistory), in the
	// order HubSpot sends them.
	PropertiesWithHistory map[string][]ValueWithTimestamp `json:"propertiesWithHistory,omitempty"`
	// Columns are those of the read that gave the object, if it was given
	// some, and Values its values by column (nil: null, or not sent);
	// Properties then holds only the names HubSpot sent that are not
	// columns. Value reads a property either way.
	Columns *Columns  `json:"-"`
	Values  []*string `json:"-"`
}

// ObjectPage is one page of the list call.
type ObjectPage struct {
	Results []Object `json:"results"`
	Paging  *Paging  `json:"paging,omitempty"`
}

// NextAfter returns the cursor of the next page, or "" on the last page.
func (p *ObjectPage) NextAfter() string { return nextAfter(p.Paging) }

// SearchPage is one page of search results.
type SearchPage struct {
	Total   int      `json:"total"`
	Results []Object `json:"results"`
	Paging  *Paging  `json:"paging,omitempty"`
}

// NextAfter returns the cursor of the next page, or "" on the last page.
func (p *SearchPage) NextAfter() string { return nextAfter(p.Paging) }

// BatchResult is the outcome of a batch call. A partial failure (HTTP 207)
// is a BatchResult with Errors, not an error.
type BatchResult struct {
	Status      string        `json:"status"`
	Results     []Object      `json:"results"`
	Errors      []ErrorDetail `json:"errors,omitempty"`
	NumErrors   int           `json:"numErrors,omitempty"`
	RequestedAt *time.Time    `json:"requestedAt,omitempty"`
	StartedAt   time.Time     `json:"startedAt"`
	CompletedAt time.Time     `json:"completedAt"`
}

// Property describes one property of an object type.
type Property struct {
	Name                 string               `json:"name"`
	Label                string               `json:"label"`
	Type                 string               `json:"type"`
	FieldType            string               `json:"fieldType"`
	Calculated           bool                 `json:"calculated"`
	HasUniqueValue       bool                 `json:"hasUniqueValue"`
	ModificationMetadata ModificationMetadata `json:"modificationMetadata"`
	// Options are an enumeration's allowed values; HubSpot refuses any
	// other (https://developers.hubspot.com/docs/api/crm/properties).
	Options []PropertyOption `json:"options,omitempty"`
}

// PropertyOption is one allowed value of an enumeration property.
type PropertyOption struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Hidden bool   `json:"hidden"`
}

// ModificationMetadata says whether a property may be written.
type ModificationMetadata struct {
	ReadOnlyValue bool `json:"readOnlyValue"`
	Archivable    bool `json:"archivable"`
}

// ReadOnly reports whether HubSpot rejects writes of the property's value.
func (p Property) ReadOnly() bool { return p.ModificationMetadata.ReadOnlyValue }

// Owner is a HubSpot user who can own CRM objects.
type Owner struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Type      string    `json:"type,omitempty"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	UserID    int64     `json:"userId,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Archived  bool      `json:"archived"`
}

// OwnerPage is one page of owners.
type OwnerPage struct {
	Results []Owner `json:"results"`
	Paging  *Paging `json:"paging,omitempty"`
}

// NextAfter returns the cursor of the next page, or "" on the last page.
func (p *OwnerPage) NextAfter() string { return nextAfter(p.Paging) }
