package hubspottest_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

var (
	isoMillis = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	isoDate   = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
)

// wellFormed reports whether a value is one of a property's type as
// HubSpot answers it.
func wellFormed(d propertyDef, v string) bool {
	switch d.Type {
	case "number":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "bool":
		return v == "true" || v == "false"
	case "datetime":
		return isoMillis.MatchString(v)
	case "date":
		return isoDate.MatchString(v)
	case "enumeration":
		if len(d.Options) == 0 {
			return true
		}
		parts := []string{v}
		if d.FieldType == "checkbox" {
			parts = strings.Split(v, ";")
		}
		for _, p := range parts {
			if !slices.ContainsFunc(d.Options, func(o optionDef) bool { return o.Value == p }) {
				return false
			}
		}
		return true
	}
	return true
}

// valueStats reads every value of every object and counts what it finds.
type valueStats struct {
	null, empty, multi, integer, decimal, negative int
	byType, bad                                    map[string]int
}

func collect(t *testing.T, defs []propertyDef, objects []map[string]any) valueStats {
	t.Helper()
	st := valueStats{byType: map[string]int{}, bad: map[string]int{}}
	for _, o := range objects {
		p := props(o)
		if len(p) != len(defs) {
			t.Fatalf("object %v: %d properties, asked for %d", o["id"], len(p), len(defs))
		}
		for _, d := range defs {
			raw, ok := p[d.Name]
			switch {
			case !ok:
				t.Fatalf("object %v lacks asked property %s", o["id"], d.Name)
			case raw == nil:
				st.null++
				continue
			}
			v, ok := raw.(string)
			if !ok {
				t.Fatalf("%s: %v is not a string", d.Name, raw)
			}
			if v == "" {
				st.empty++
				continue
			}
			st.byType[d.Type]++
			if !wellFormed(d, v) {
				st.bad[d.Type]++
				continue
			}
			switch {
			case d.FieldType == "checkbox" && strings.Contains(v, ";"):
				st.multi++
			case d.Type == "number" && strings.HasPrefix(v, "-"):
				st.negative++
			case d.Type == "number" && strings.Contains(v, "."):
				st.decimal++
			case d.Type == "number":
				st.integer++
			}
		}
	}
	return st
}

// TestFullCatalogValues: seeded objects hold values of every type, well
// formed, with nulls and empty strings apart, and a batch read with every
// one of 600 properties in its body returns each of them.
func TestFullCatalogValues(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithFullPropertyCatalog())
	ids, err := srv.Seed("contacts", 40, nil)
	is.NoErr(err)
	defs := propertyDefs(t, srv, "contacts", false)
	is.True(len(defs) >= 600)
	objects := batchReadAll(t, srv, "contacts", ids, names(defs))
	is.Equal(len(objects), 40)
	st := collect(t, defs, objects)
	is.Equal(st.bad, map[string]int{}) // nothing unparsable without the option
	for _, typ := range []string{"string", "number", "bool", "datetime", "date", "enumeration", "phone_number"} {
		if st.byType[typ] == 0 {
			t.Fatalf("no %s values", typ)
		}
	}
	is.True(st.null > 0 && st.empty > 0 && st.multi > 0)
	is.True(st.integer > 0 && st.decimal > 0 && st.negative > 0)
	for _, o := range objects { // the sample values stay the caller's
		is.True(strings.HasSuffix(props(o)["email"].(string), "@example.com"))
	}

	// Other types too.
	cids, err := srv.Seed("companies", 10, nil)
	is.NoErr(err)
	cdefs := propertyDefs(t, srv, "companies", false)
	cst := collect(t, cdefs, batchReadAll(t, srv, "companies", cids, names(cdefs)))
	is.Equal(cst.bad, map[string]int{})
	is.True(cst.byType["number"] > 0 && cst.byType["datetime"] > 0 && cst.byType["enumeration"] > 0)

	// Search takes the properties in its body too.
	body, err := json.Marshal(map[string]any{"properties": names(defs), "limit": 100})
	is.NoErr(err)
	r := call(t, srv, "POST", "/crm/v3/objects/contacts/search", string(body))
	is.Equal(r.status, 200)
	is.Equal(collect(t, defs, results(t, r)).byType, st.byType)
}

func TestUnparsableValues(t *testing.T) {
	is := is.New(t)
	read := func() ([]map[string]any, []propertyDef) {
		srv := newServer(t, hubspottest.WithFullPropertyCatalog(), hubspottest.WithUnparsableValues(5))
		ids, err := srv.Seed("contacts", 40, nil)
		is.NoErr(err)
		defs := propertyDefs(t, srv, "contacts", false)
		return batchReadAll(t, srv, "contacts", ids, names(defs)), defs
	}
	objects, defs := read()
	st := collect(t, defs, objects)
	for _, typ := range []string{"number", "bool", "datetime", "date", "enumeration"} {
		share := float64(st.bad[typ]) / float64(st.byType[typ])
		if share < 0.1 || share > 0.35 {
			t.Fatalf("%s: %d of %d values unparsable, want about one in 5", typ, st.bad[typ], st.byType[typ])
		}
	}
	is.Equal(st.bad["string"], 0)

	// The same on another server: the choice is fixed.
	again, _ := read()
	byID := func(os []map[string]any) map[any]map[string]any {
		m := map[any]map[string]any{}
		for _, o := range os {
			m[o["id"]] = props(o)
		}
		return m
	}
	a, b := byID(objects), byID(again)
	for id, p := range a {
		for n, v := range p {
			if n != "createdate" && n != "lastmodifieddate" && b[id][n] != v {
				t.Fatalf("object %v %s: %v, then %v", id, n, v, b[id][n])
			}
		}
	}
}

func TestLazyObjectsWithFullCatalog(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithFullPropertyCatalog(), hubspottest.WithLazyObjects("contacts", 30, func(i int) map[string]string {
		return map[string]string{"email": fmt.Sprintf("lazy%d@example.com", i), "num_notes": "99"}
	}))
	r := call(t, srv, "GET", "/crm/v3/objects/contacts?limit=30&properties=email,num_notes,date_of_birth,notes_last_contacted,hs_email_optout,hs_buying_role", "")
	is.Equal(r.status, 200)
	defs := map[string]propertyDef{}
	for _, d := range propertyDefs(t, srv, "contacts", false) {
		defs[d.Name] = d
	}
	values := 0
	for _, o := range results(t, r) {
		p := props(o)
		is.Equal(p["email"], "lazy"+o["id"].(string)+"@example.com") // the caller's values win
		is.Equal(p["num_notes"], "99")
		for _, n := range []string{"date_of_birth", "notes_last_contacted", "hs_email_optout", "hs_buying_role"} {
			v, ok := p[n]
			is.True(ok)
			if s, _ := v.(string); s != "" {
				values++
				is.True(wellFormed(defs[n], s))
			}
		}
	}
	is.True(values > 60)
}

// TestManyPropertiesInTheURL: a list with hundreds of names in properties=
// gets every one of them while the URL is short enough, and 414 past about
// 15,000 characters (docs/hubspot.md, "Errors").
func TestManyPropertiesInTheURL(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithFullPropertyCatalog())
	_, err := srv.Seed("contacts", 3, nil)
	is.NoErr(err)
	defs := propertyDefs(t, srv, "contacts", false)
	all := names(defs)
	path := "/crm/v3/objects/contacts?limit=10&properties="
	half := all[:len(all)/2]
	r := call(t, srv, "GET", path+strings.Join(half, ","), "")
	is.Equal(r.status, 200)
	for _, o := range results(t, r) {
		is.Equal(len(props(o)), len(half))
	}
	long := strings.Join(append(slices.Clone(all), all...), ",")
	is.True(len("https://api.hubapi.com"+path+long) > 15000)
	r = call(t, srv, "GET", path+long, "")
	is.Equal(r.status, 414)
}

// TestEpochMillisDates: with the option, a fixed few date and datetime
// properties answer epoch milliseconds, each property always in one form,
// dates at midnight UTC.
func TestEpochMillisDates(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithFullPropertyCatalog(), hubspottest.WithEpochMillisDates())
	ids, err := srv.Seed("contacts", 30, nil)
	is.NoErr(err)
	defs := propertyDefs(t, srv, "contacts", false)
	epoch := regexp.MustCompile(`^\d{13}$`)
	form := map[string]string{} // property -> "epoch" or "iso"
	for _, o := range batchReadAll(t, srv, "contacts", ids, names(defs)) {
		for _, d := range defs {
			v, _ := props(o)[d.Name].(string)
			if (d.Type != "date" && d.Type != "datetime") || v == "" || d.Name == "createdate" || d.Name == "lastmodifieddate" {
				continue
			}
			f := "iso"
			if epoch.MatchString(v) {
				f = "epoch"
				ms, err := strconv.ParseInt(v, 10, 64)
				is.NoErr(err)
				if d.Type == "date" {
					is.Equal(ms%86_400_000, int64(0)) // midnight UTC
				}
			} else if !wellFormed(d, v) {
				t.Fatalf("%s: %q", d.Name, v)
			}
			if old, ok := form[d.Name]; ok && old != f {
				t.Fatalf("%s answers both %s and %s", d.Name, old, f)
			}
			form[d.Name] = f
		}
	}
	n := 0
	for _, f := range form {
		if f == "epoch" {
			n++
		}
	}
	if n == 0 || n > len(form)/4 {
		t.Fatalf("%d of %d date properties in epoch milliseconds, want about a tenth", n, len(form))
	}
}
