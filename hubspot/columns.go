package hubspot

import "encoding/json"

// Columns are the properties a read asks for, in order, for a caller that
// takes every object's values by position. A read given Columns
// (ListOptions, SearchRequest, BatchReadRequest) asks for their names, and
// its objects hold the values in Object.Values, at their columns'
// positions, instead of in a map: with hundreds of properties an object,
// making each object's map and looking every value up in it again took a
// fifth of the plugin's CPU in a wide snapshot (hubspot-bench -only
// pluginCPU -cpuprofile). A Columns is never changed once made, so reads
// on several goroutines may share it.
type Columns struct {
	names []string
	index map[string]int
}

// NewColumns returns the columns of names, in their order; a name given
// twice is the first's column.
func NewColumns(names []string) *Columns {
	c := &Columns{names: names, index: make(map[string]int, len(names))}
	for i, name := range names {
		if _, ok := c.index[name]; !ok {
			c.index[name] = i
		}
	}
	return c
}

// Names returns the properties, in the columns' order. The caller does not
// change the slice.
func (c *Columns) Names() []string { return c.names }

// or returns the names a read asks for: the columns', or props without
// columns.
func (c *Columns) or(props []string) []string {
	if c != nil {
		return c.names
	}
	return props
}

// Index returns the position of a property's column.
func (c *Columns) Index(name string) (int, bool) {
	i, ok := c.index[name]
	return i, ok
}

// Row is an object's property values: by column where it was read by
// Columns (Values), and in Properties the names that are no column, or
// every name without columns.
type Row struct {
	Columns    *Columns
	Values     []*string
	Properties Properties
}

// Row returns the object's property values.
func (o *Object) Row() Row {
	return Row{Columns: o.Columns, Values: o.Values, Properties: o.Properties}
}

// Value returns the value of a property and whether it is set and not
// null.
func (o *Object) Value(name string) (string, bool) {
	if v, _ := o.Row().Get(name); v != nil {
		return *v, true
	}
	return "", false
}

// Get returns the value of a property (nil: null) and whether the row has
// it: every column has, null or not.
func (r Row) Get(name string) (*string, bool) {
	if r.Columns != nil {
		if at, ok := r.Columns.Index(name); ok {
			return r.Values[at], true
		}
	}
	v, ok := r.Properties[name]
	return v, ok
}

// Each calls f with each property of the row and its value (nil: null).
func (r Row) Each(f func(name string, v *string)) {
	if r.Columns != nil {
		for at, name := range r.Columns.names {
			f(name, r.Values[at])
		}
	}
	for name, v := range r.Properties {
		f(name, v)
	}
}

// Len is how many properties the row has.
func (r Row) Len() int {
	return len(r.Values) + len(r.Properties)
}

// columnize moves the values of the objects' properties that are columns
// from Properties to Values, as the page decoder puts them when it reads
// an object itself (Properties is nil when no other name is left).
func columnize(objs []Object, cols *Columns) {
	if cols == nil {
		return
	}
	for i := range objs {
		o := &objs[i]
		o.Columns, o.Values = cols, make([]*string, len(cols.names))
		for name, v := range o.Properties {
			if at, ok := cols.index[name]; ok {
				o.Values[at] = v
				delete(o.Properties, name)
			}
		}
		if len(o.Properties) == 0 {
			o.Properties = nil
		}
	}
}

// Names are the properties the search asks for.
func (r SearchRequest) Names() []string { return r.Columns.or(r.Properties) }

// MarshalJSON writes the search as HubSpot takes it: with Columns, their
// names are its properties.
func (r SearchRequest) MarshalJSON() ([]byte, error) {
	type body SearchRequest // without this method
	b := body(r)
	b.Properties = r.Names()
	return json.Marshal(b) //nolint:wrapcheck // the caller says what it encoded
}
