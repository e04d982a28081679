package hubspot_test

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/matryer/is"
)

// namesOf are every name LookupResource finds a row by.
func namesOf(r hubspot.Resource) []string {
	names := append([]string{r.Name}, r.Aliases...)
	for _, n := range []string{r.TypeID, r.LegacyName} {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

// TestResourceTableNames: every name of every row (its own, its type id,
// the earlier connector's, its aliases) finds that row, and no name, type
// id above all, belongs to two rows.
func TestResourceTableNames(t *testing.T) {
	owner := map[string]string{}
	for _, row := range hubspot.Resources() {
		for _, name := range namesOf(row) {
			t.Run(row.Name+"/"+name, func(t *testing.T) {
				is := is.New(t)
				got, err := hubspot.LookupResource(name)
				is.NoErr(err)
				is.Equal(got.Name, row.Name)
				is.Equal(got.TypeID, row.TypeID)
				is.Equal(got.ModifiedProperty, row.ModifiedProperty)
				is.Equal(got.Ops, row.Ops)
				if other, taken := owner[name]; taken {
					t.Fatalf("%q names both %s and %s", name, other, row.Name)
				}
				owner[name] = row.Name
			})
		}
	}
}

// TestStandardObjectRows: the object types of HubSpot's object library
// are in the table as HubSpot's documents give them (the sources are
// beside the table, in libraryobjects.go): type id, created and modified
// properties, and the writes each type's API has.
func TestStandardObjectRows(t *testing.T) {
	const hsCreated, created, modified = "hs_createdate", "createdate", "hs_lastmodifieddate"
	all := []hubspot.Ops{hubspot.OpCreate, hubspot.OpUpdate, hubspot.OpArchive, hubspot.OpUpsert}
	tests := []struct {
		name, typeID, created string
		writes                []hubspot.Ops // of create, update, archive, upsert
		aliases               []string
	}{
		{"leads", "0-136", hsCreated, all, nil},
		{"invoices", "0-53", hsCreated, all, nil},
		{"orders", "0-123", hsCreated, all, nil},
		{"carts", "0-142", hsCreated, all, nil},
		{"discounts", "0-84", hsCreated, all, nil},
		{"fees", "0-85", hsCreated, all, nil},
		{"taxes", "0-86", hsCreated, all, nil},
		{"appointments", "0-421", hsCreated, all, nil},
		{"courses", "0-410", hsCreated, all, nil},
		{"listings", "0-420", hsCreated, all, nil},
		{"services", "0-162", hsCreated, all, nil},
		{"subscriptions", "0-69", hsCreated, all, nil},
		{"communications", "0-18", hsCreated, all, nil},
		{"postal_mail", "0-116", hsCreated, all, nil},
		{"users", "0-115", hsCreated, all, nil},
		{"projects", "0-970", hsCreated, all, nil},
		{"contracts", "0-721", hsCreated, all, nil},
		{"commerce_payments", "0-101", created, all, []string{"payments"}},
		{"goal_targets", "0-74", hsCreated, []hubspot.Ops{hubspot.OpCreate, hubspot.OpUpdate, hubspot.OpArchive}, nil},
		{"partner_clients", "", hsCreated, []hubspot.Ops{hubspot.OpUpdate}, nil},
		{"partner_services", "", hsCreated, []hubspot.Ops{hubspot.OpUpdate}, nil},
		{hubspot.FeedbackSubmissionsResourceName, "0-19", hsCreated, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r, err := hubspot.LookupResource(tt.name)
			is.NoErr(err)
			is.Equal(r.Name, tt.name)
			is.Equal(r.TypeID, tt.typeID)
			is.Equal(r.Kind, hubspot.KindCRMObject)
			is.Equal(r.CreatedProperty, tt.created)
			is.Equal(r.ModifiedProperty, modified)
			is.Equal(r.Aliases, tt.aliases)
			// Every type reads: list, read, search, batch read.
			is.True(r.Ops.Has(hubspot.OpList | hubspot.OpGet | hubspot.OpSearch | hubspot.OpBatch))
			for _, op := range all {
				want := false
				for _, w := range tt.writes {
					want = want || w == op
				}
				is.Equal(r.Ops.Has(op), want) // the writes the type's spec has
			}
			is.Equal(r.ReadOnly(), len(tt.writes) == 0)
		})
	}
}
