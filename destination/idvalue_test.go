package destination_test

import (
	"context"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// addMirrorID gives contacts a custom property with unique values, as a
// mirror's or an external id's is.
func addMirrorID(t *testing.T, srv *hubspottest.Server) {
	t.Helper()
	if err := srv.AddProperty("contacts", hubspottest.PropertyDef{Name: "mirror_id", Type: hubspottest.TypeString, Unique: true}); err != nil {
		t.Fatal(err)
	}
}

// TestKeyStandsInForIDValueOnlyWhenItSaysSo: a record without its
// idProperty value takes it from its key only when the key names that
// property, or is a HubSpot source's own id; a bare key (a file source's
// line number) fails the record, naming it, idProperty and where the value
// was looked for, and nothing is sent for it; idFromBareKey lets it stand in.
func TestKeyStandsInForIDValueOnlyWhenItSaysSo(t *testing.T) {
	fromHubSpot := func(r opencdc.Record) opencdc.Record {
		r.Metadata[record.MetadataUpdatedAt] = "2026-01-02T03:04:05.000Z"
		return r
	}
	tests := []struct {
		name     string
		bareKeys bool
		rec      opencdc.Record
		want     string // the mirror_id written, or a part of the error
		fails    bool
	}{
		{"empty value, line number key", false, rec(opencdc.OperationCreate, "7", opencdc.RawData("7"), opencdc.StructuredData{"mirror_id": "", "firstname": "noid"}),
			`record 0 (position 7, key 7): no value for idProperty "mirror_id": none in the payload's field "mirror_id", and the key "7" is bare bytes, no field "mirror_id" ("idFromBareKey": true lets a bare key stand in for it)`, true},
		{"empty payload, line number key", false, rec(opencdc.OperationCreate, "8", opencdc.RawData("8"), opencdc.RawData("{}")),
			`no value for idProperty "mirror_id"`, true},
		{"key naming another field", false, rec(opencdc.OperationUpdate, "9", opencdc.StructuredData{"line": 9}, opencdc.StructuredData{"firstname": "x"}),
			`the key has fields [line], none "mirror_id"`, true},
		{"delete with a bare key", false, rec(opencdc.OperationDelete, "10", opencdc.RawData("m-1"), nil),
			`none in the before image's field "mirror_id", and the key "m-1" is bare bytes`, true},
		{"id key of a record not from HubSpot", false, rec(opencdc.OperationCreate, "11", opencdc.StructuredData{"id": "55"}, opencdc.StructuredData{"firstname": "x"}),
			`the key has fields [id], none "mirror_id"`, true},
		{"structured key naming it", false, rec(opencdc.OperationCreate, "12", opencdc.StructuredData{"mirror_id": "m-12"}, opencdc.StructuredData{"firstname": "x"}), "m-12", false},
		{"JSON key naming it, among others", false, rec(opencdc.OperationCreate, "13", opencdc.RawData(`{"mirror_id":"m-13","line":13}`), opencdc.StructuredData{"firstname": "x"}), "m-13", false},
		{"a HubSpot source's id", false, fromHubSpot(rec(opencdc.OperationUpdate, "14", opencdc.StructuredData{"id": "55"}, opencdc.StructuredData{"id": "55", "firstname": "x"})), "55", false},
		{"a HubSpot source's id for an email", false, fromHubSpot(rec(opencdc.OperationUpdate, "16", opencdc.StructuredData{"id": "56"}, opencdc.StructuredData{"id": "56", "firstname": "x"})),
			`no value for idProperty "email": none in the payload's field "email", and the key has fields [id], none "email"`, true},
		{"bare key with idFromBareKey", true, rec(opencdc.OperationCreate, "15", opencdc.RawData("m-15"), opencdc.StructuredData{"firstname": "x"}), "m-15", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			addMirrorID(t, srv)
			settings := map[string]string{"idProperty": "mirror_id"}
			if strings.Contains(tt.name, "email") { // the row of an email upserts on it
				settings["idProperty"] = "email"
			}
			if tt.bareKeys {
				settings["idFromBareKey"] = "true"
			}
			d := openDestination(t, srv, settings)
			srv.ResetCalls()
			n, err := d.Write(context.Background(), []opencdc.Record{tt.rec})
			if tt.fails {
				is.Equal(n, 0)
				is.True(err != nil)
				is.True(strings.Contains(err.Error(), tt.want)) // names the record, idProperty and where it looked
				is.Equal(srv.TotalCalls(), 0)                   // nothing sent for it
				is.Equal(len(live(srv)), 0)
				return
			}
			is.NoErr(err)
			is.Equal(n, 1)
			is.Equal(onlyContact(t, srv).Properties["mirror_id"], tt.want)
		})
	}
}
