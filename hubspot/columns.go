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

// Index returns the position of a property's column.
func (c *Columns) Index(name string) (int, bool) {
	i, ok := c.index[name]
	return i, ok
}

// Value returns the value of a property and whether it is set and not
// null, from Values when the object was read with Columns that have it,
// from Properties otherwise.
func (o *Object) Value(name string) (string, bool) {
	if o.Columns != nil {
		if i, ok := o.Columns.Index(name); ok {
			if v := o.Values[i]; v != nil {
				return *v, true
			}
			return "", false
		}
	}
	return o.Properties.Get(name)
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
func (r SearchRequest) Names() []string {
	if r.Columns != nil {
		return r.Columns.Names()
	}
	return r.Properties
}

// MarshalJSON writes the search as HubSpot takes it: with Columns, their
// names are its properties.
func (r SearchRequest) MarshalJSON() ([]byte, error) {
	type body SearchRequest // without this method
	b := body(r)
	b.Properties = r.Names()
	return json.Marshal(b) //nolint:wrapcheck // the caller says what it encoded
}
