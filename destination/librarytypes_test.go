package destination_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestWritesLeads: leads, a type of HubSpot's object library that its API
// writes whole, are created, updated and deleted like contacts, named by
// name or by type id (0-136).
func TestWritesLeads(t *testing.T) {
	for _, name := range []string{"leads", "0-136"} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": name})
			n, err := d.Write(ctx, []opencdc.Record{
				rec(opencdc.OperationCreate, "c1", nil, opencdc.StructuredData{"hs_name": "Lead one"}),
				rec(opencdc.OperationCreate, "c2", nil, opencdc.StructuredData{"hs_name": "Lead two"}),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			ids := map[string]string{}
			for _, o := range srv.Objects("leads") {
				ids[o.Properties["hs_name"]] = o.ID
			}
			is.Equal(len(ids), 2)

			n, err = d.Write(ctx, []opencdc.Record{
				rec(opencdc.OperationUpdate, "u1", id(ids["Lead one"]), opencdc.StructuredData{"hs_name": "Lead one, qualified"}),
				rec(opencdc.OperationDelete, "d2", id(ids["Lead two"]), nil),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			one, ok := srv.Object("leads", ids["Lead one"])
			is.True(ok)
			is.Equal(one.Properties["hs_name"], "Lead one, qualified")
			two, ok := srv.Object("leads", ids["Lead two"])
			is.True(ok)
			is.True(two.Archived)
		})
	}
}

// TestPartlyWritableType: partner clients, whose API updates and neither
// creates nor archives, are accepted; an update is written, and a create
// or a delete fails alone, naming what HubSpot's API does for them.
func TestPartlyWritableType(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	client, err := srv.Create("partner_clients", map[string]string{"hs_name": "Client"})
	is.NoErr(err)
	d := openDestination(t, srv, map[string]string{"resource": "partner_clients"})

	n, err := d.Write(ctx, []opencdc.Record{rec(opencdc.OperationUpdate, "u1", id(client), opencdc.StructuredData{"hs_name": "Client, renamed"})})
	is.NoErr(err)
	is.Equal(n, 1)
	got, _ := srv.Object("partner_clients", client)
	is.Equal(got.Properties["hs_name"], "Client, renamed")

	for _, bad := range []opencdc.Record{
		rec(opencdc.OperationCreate, "c1", nil, opencdc.StructuredData{"hs_name": "New"}),
		rec(opencdc.OperationDelete, "d1", id(client), nil),
	} {
		before := len(srv.Objects("partner_clients"))
		n, err := d.Write(ctx, []opencdc.Record{bad})
		is.Equal(n, 0)
		var rerr *destination.RecordError
		is.True(errors.As(err, &rerr)) // the record fails alone
		t.Log(err)
		is.True(strings.Contains(err.Error(), "HubSpot's API does not"))
		is.True(strings.Contains(err.Error(), "it does update only"))
		is.Equal(len(srv.Objects("partner_clients")), before)
		still, _ := srv.Object("partner_clients", client)
		is.True(!still.Archived)
	}
}

// TestUpsertOfTypeWithoutUpsertRefused: idProperty on a type whose API has
// no batch upsert (goal targets at 2026-09, partner services) fails at
// Configure, naming idProperty, before any request.
func TestUpsertOfTypeWithoutUpsertRefused(t *testing.T) {
	srv := newSim(t)
	for _, name := range []string{"goal_targets", "partner_services"} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			srv.ResetCalls()
			d, err := tryOpenDestination(srv, map[string]string{"resource": name, "idProperty": "hs_name"})
			is.True(d == nil) // refused at Configure
			is.True(err != nil)
			t.Log(err)
			is.True(strings.Contains(err.Error(), `"idProperty"`))
			is.True(strings.Contains(err.Error(), "does not upsert "+name))
			is.Equal(srv.TotalCalls(), 0)
		})
	}
}
