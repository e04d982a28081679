package hubspot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestColumnsAsProperties: a list (narrow and wide), a search and a batch
// read given Columns ask for the same properties as one given their names,
// and each object holds by column the values the other holds in its map;
// columns in another order than HubSpot sends them, and a property asked
// for that is no column, read the same.
func TestColumnsAsProperties(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithoutRateLimits(), hubspottest.WithFullPropertyCatalog())
	c := simClient(t, srv)
	ids, err := srv.Seed("contacts", 30, nil)
	is.NoErr(err)
	var all []string
	for _, p := range srv.Properties("contacts", false) {
		all = append(all, p.Name)
	}
	slices.Sort(all)
	reversed := slices.Clone(all)
	slices.Reverse(reversed)

	for _, names := range [][]string{all, reversed, {"email", "firstname", "lastname"}} {
		cols := hubspot.NewColumns(names)
		same := func(got, want []hubspot.Object) {
			t.Helper()
			is.Equal(len(got), len(want))
			for i, o := range got {
				is.Equal(o.ID, want[i].ID)
				is.True(o.Columns == cols)
				for name := range o.Properties {
					if _, col := cols.Index(name); col {
						t.Fatalf("object %s: column %s in Properties", o.ID, name)
					}
				}
				for name := range want[i].Properties {
					v, ok := o.Value(name)
					w, wok := want[i].Properties.Get(name)
					if v != w || ok != wok {
						t.Fatalf("object %s, %s: %q %v by column, %q %v by name", o.ID, name, v, ok, w, wok)
					}
				}
			}
		}
		byName, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 100, Properties: names})
		is.NoErr(err)
		byColumn, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 100, Columns: cols})
		is.NoErr(err)
		same(byColumn.Results, byName.Results)

		search := hubspot.SearchRequest{Limit: 100, Sorts: []hubspot.Sort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}}}
		search.Properties = names
		sByName, err := c.Objects.Search(ctx, "contacts", search)
		is.NoErr(err)
		search.Properties, search.Columns = nil, cols
		sByColumn, err := c.Objects.Search(ctx, "contacts", search)
		is.NoErr(err)
		same(sByColumn.Results, sByName.Results)

		bByName, err := c.Objects.BatchRead(ctx, "contacts", hubspot.BatchReadRequest{IDs: ids, Properties: names})
		is.NoErr(err)
		bByColumn, err := c.Objects.BatchRead(ctx, "contacts", hubspot.BatchReadRequest{IDs: ids, Columns: cols})
		is.NoErr(err)
		slices.SortFunc(bByName.Results, func(a, b hubspot.Object) int { return strings.Compare(a.ID, b.ID) })
		slices.SortFunc(bByColumn.Results, func(a, b hubspot.Object) int { return strings.Compare(a.ID, b.ID) })
		same(bByColumn.Results, bByName.Results)
	}

	// A property HubSpot sends that is no column is in Properties.
	cols := hubspot.NewColumns([]string{"email"})
	page, err := c.Objects.List(ctx, "contacts", hubspot.ListOptions{Limit: 1, Columns: cols})
	is.NoErr(err)
	o := page.Results[0]
	is.Equal(len(o.Values), 1)
	_, ok := o.Properties.Get("hs_object_id") // HubSpot sends it with any properties asked for
	is.True(ok)
	v, ok := o.Value("hs_object_id")
	is.True(ok)
	is.Equal(v, o.ID)
}

// TestRow: a row read by columns has every column, null or not, and the
// names that are no column; without columns, its Properties alone.
func TestRow(t *testing.T) {
	is := is.New(t)
	cols := hubspot.NewColumns([]string{"a", "b"})
	row := hubspot.Row{Columns: cols, Values: []*string{hubspot.String("1"), nil}, Properties: hubspot.Properties{"x": hubspot.String("9")}}
	for _, tt := range []struct {
		name   string
		want   *string
		has    bool
		object bool // Object.Value's: set and not null
	}{{"a", hubspot.String("1"), true, true}, {"b", nil, true, false}, {"x", hubspot.String("9"), true, true}, {"y", nil, false, false}} {
		v, ok := row.Get(tt.name)
		is.Equal(ok, tt.has)
		is.Equal(v == nil, tt.want == nil)
		if v != nil {
			is.Equal(*v, *tt.want)
		}
		o := hubspot.Object{Columns: row.Columns, Values: row.Values, Properties: row.Properties}
		_, set := o.Value(tt.name)
		is.Equal(set, tt.object)
	}
	seen := map[string]bool{}
	row.Each(func(name string, _ *string) { seen[name] = true })
	is.Equal(seen, map[string]bool{"a": true, "b": true, "x": true})
	is.Equal(row.Len(), 3)
	plain := hubspot.Row{Properties: hubspot.Properties{"a": nil}}
	_, ok := plain.Get("a")
	is.True(ok)
	is.Equal(plain.Len(), 1)
}
