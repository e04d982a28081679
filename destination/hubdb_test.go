package destination_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const hubdbCalls = "/cms/hubdb/2026-03/tables"

// tableRec is a record of a table with a text column, its columns as a
// source reading another account sends them: JSON text, with that
// account's ids and fields of HubSpot's own.
func tableRec(op opencdc.Operation, pos string, key opencdc.Data, name, label string) opencdc.Record {
	return rec(op, pos, key, opencdc.StructuredData{"name": name, "label": label, "useForPages": false,
		"columns": `[{"id":"7","name":"city","label":"City","type":"TEXT","createdAt":"2026-01-01T00:00:00Z","deleted":false}]`,
		"id":      "999", "createdAt": "2026-01-01T00:00:00Z", "published": true, "rowCount": 3, "columnCount": 1})
}

// TestHubDBTablesCreateUpdateDelete: under either name, creates, updates
// and deletes of tables land in order; with hubdbPublish (the default)
// each lands in the published version too, and with it false only in the
// drafts, the published version left as it was.
func TestHubDBTablesCreateUpdateDelete(t *testing.T) {
	tests := []struct {
		resource string
		settings map[string]string
		publish  bool
	}{
		{"cms.hubdb.tables", nil, true},
		{"hubdb_tables", map[string]string{"hubdbPublish": "true"}, true},
		{"hubdb_tables", map[string]string{"hubdbPublish": "false"}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s publish=%v", tt.resource, tt.publish), func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			existing, err := srv.AddHubDBTable(hubspottest.HubDBTable{Name: "stores", Draft: hubspottest.HubDBVersion{Label: "Stores"}}, true)
			is.NoErr(err)
			settings := map[string]string{"resource": tt.resource}
			for k, v := range tt.settings {
				settings[k] = v
			}
			d := openDestination(t, srv, settings)
			n, err := d.Write(context.Background(), []opencdc.Record{
				tableRec(opencdc.OperationSnapshot, "p0", id("src-1"), "cities", "Cities"),
				tableRec(opencdc.OperationCreate, "p1", id("src-2"), "towns", "Towns"),
				rec(opencdc.OperationUpdate, "p2", id("src-1"), opencdc.StructuredData{"label": "Cities 1"}),
				rec(opencdc.OperationUpdate, "p3", id("src-1"), opencdc.StructuredData{"label": "Cities 2",
					"columns": []any{map[string]any{"name": "city", "label": "City", "type": "TEXT"}, map[string]any{"name": "pop", "label": "Pop", "type": "NUMBER"}}}),
				rec(opencdc.OperationDelete, "p4", id("src-2"), nil),
				rec(opencdc.OperationUpdate, "p5", id(existing), opencdc.StructuredData{"label": "Shops"}),
			})
			is.NoErr(err)
			is.Equal(n, 6)
			live := srv.LiveHubDBTables()
			is.Equal(len(live), 2)
			cities := live["cities"]
			is.Equal(cities.Draft.Label, "Cities 2") // the updates in order
			is.Equal(len(cities.Draft.Columns), 2)
			is.Equal(cities.Draft.Columns[0].Name, "city")
			is.Equal(live["stores"].Draft.Label, "Shops")
			if tt.publish {
				is.True(cities.Published != nil)
				is.Equal(cities.Published.Label, "Cities 2")
				is.Equal(len(cities.Published.Columns), 2)
				is.Equal(live["stores"].Published.Label, "Shops")
			} else {
				is.True(cities.Published == nil)                   // left a draft
				is.Equal(live["stores"].Published.Label, "Stores") // the published version as it was
				is.Equal(srv.Calls()["POST "+hubdbCalls+"/{table}/draft/publish"], 0)
			}

			deleteTwice(t, d, cities.ID)
			is.Equal(len(srv.LiveHubDBTables()), 1)
		})
	}
}

// TestHubDBTablesBadRecordIsolated: a table whose name is taken with other
// values fails alone; the ones before it are written, and the rest when
// Conduit delivers them again. Bad fields name the table's fields.
func TestHubDBTablesBadRecordIsolated(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "hubdb_tables"})
	_, err := srv.AddHubDBTable(hubspottest.HubDBTable{Name: "t2", Draft: hubspottest.HubDBVersion{Label: "someone else's"}}, true)
	is.NoErr(err)
	var recs []opencdc.Record
	for i := range 5 {
		recs = append(recs, tableRec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil, fmt.Sprintf("t%d", i), fmt.Sprintf("T%d", i)))
	}
	thirdFailsAlone(t, d, recs)
	is.Equal(len(srv.LiveHubDBTables()), 5)
	for _, tb := range srv.LiveHubDBTables() {
		is.True(tb.Published != nil)
	}

	bad := []struct {
		payload opencdc.StructuredData
		want    string
	}{
		{opencdc.StructuredData{"name": "x", "label": "X", "colour": "red"}, "a HubDB table has no fields colour; it has name, label, columns,"},
		{opencdc.StructuredData{"name": "x", "label": "X", "columns": "[{"}, `field "columns": want JSON text`},
		{opencdc.StructuredData{"name": "x", "label": "X", "columns": `{"name":"a"}`}, `field "columns": want a list of objects`},
		{opencdc.StructuredData{"label": "X"}, "a HubDB table needs a name"},
		{opencdc.StructuredData{"name": "x", "label": "X", "columns": `[{"name":"a","type":"COLOUR"}]`}, `columns[0].type "COLOUR"`},
	}
	for i, b := range bad {
		_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, fmt.Sprintf("b%d", i), nil, b.payload)})
		is.True(err != nil)
		if !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), fmt.Sprintf("position b%d", i)) {
			t.Errorf("payload %v: %v, want %q", b.payload, err, b.want)
		}
	}
	_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationUpdate, "b9", nil, opencdc.StructuredData{"label": "y"})})
	is.True(strings.Contains(err.Error(), "needs the table's id in its key"))
	is.Equal(len(srv.LiveHubDBTables()), 5)
}

// TestHubDBTablesLostAnswers: a create whose answer is lost, though
// HubSpot applied it, is found by its name and not made twice; a publish
// that fails fails the record, and the record delivered again publishes
// the table without a second create.
func TestHubDBTablesLostAnswers(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "hubdb_tables", "maxRetries": "0"})
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: hubdbCalls, Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	n, err := d.Write(context.Background(), []opencdc.Record{
		tableRec(opencdc.OperationCreate, "p0", id("src-1"), "once", "Once"),
		rec(opencdc.OperationUpdate, "p1", id("src-1"), opencdc.StructuredData{"label": "Once more"}),
	})
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(srv.Calls()["POST "+hubdbCalls], 1)
	is.Equal(len(srv.HubDBTables()), 1)
	is.Equal(srv.LiveHubDBTables()["once"].Published.Label, "Once more")

	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: hubdbCalls + "/*/draft/publish", Kind: hubspottest.FaultHTML, Status: 503})
	twice := []opencdc.Record{tableRec(opencdc.OperationCreate, "q0", nil, "twice", "Twice")}
	n, err = d.Write(context.Background(), twice)
	is.Equal(n, 0)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "publish HubDB table"))
	is.True(srv.LiveHubDBTables()["twice"].Published == nil)
	n, err = d.Write(context.Background(), twice)
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(len(srv.HubDBTables()), 2)
	is.True(srv.LiveHubDBTables()["twice"].Published != nil)
}

// TestHubDBTablesOpenNamesTheScope: a token without HubDB's scope fails
// Open saying which scope it lacks.
func TestHubDBTablesOpenNamesTheScope(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	srv.InjectFault(hubspottest.Fault{Method: "GET", Path: hubdbCalls + "/draft", Kind: hubspottest.FaultStatus, Status: 403})
	d, err := tryOpenDestination(srv, map[string]string{"resource": "cms.hubdb.tables"})
	if d != nil {
		t.Cleanup(func() { _ = d.Teardown(context.Background()) })
	}
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "lacks the scope to write cms.hubdb.tables (hubdb_tables) (HubSpot's hubdb scope"))
}

// TestHubDBTablesByName: records keyed by another account's ids, as a
// source reading that account sends them, update and delete the tables
// of their names; without a name, an update takes the key's id, which
// finds nothing here.
func TestHubDBTablesByName(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	_, err := srv.AddHubDBTable(hubspottest.HubDBTable{Name: "stores", Draft: hubspottest.HubDBVersion{Label: "Stores"}}, true)
	is.NoErr(err)
	_, err = srv.AddHubDBTable(hubspottest.HubDBTable{Name: "cities", Draft: hubspottest.HubDBVersion{Label: "Cities"}}, true)
	is.NoErr(err)
	d := openDestination(t, srv, map[string]string{"resource": "hubdb_tables"})
	n, err := d.Write(context.Background(), []opencdc.Record{
		tableRec(opencdc.OperationUpdate, "p0", id("999"), "stores", "Shops"),
		tableRec(opencdc.OperationDelete, "p1", id("998"), "cities", "Cities"),
	})
	is.NoErr(err)
	is.Equal(n, 2)
	live := srv.LiveHubDBTables()
	is.Equal(len(live), 1)
	is.Equal(live["stores"].Published.Label, "Shops")

	_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationUpdate, "p2", id("999"), opencdc.StructuredData{"label": "Nope"})})
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "999"))
	is.True(strings.Contains(err.Error(), "OBJECT_NOT_FOUND"))
}
