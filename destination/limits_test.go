package destination_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestValuesOutOfRangeFailBeforeAnyCall: a value HubSpot documents as out
// of range fails its record before any call, naming the property
// (docs/hubspot.md, "Limits on values written"); the value at the limit is
// written as it is.
func TestValuesOutOfRangeFailBeforeAnyCall(t *testing.T) {
	atLimit := strings.Repeat("a", 65536)
	tests := []struct {
		name    string
		payload opencdc.Data
		want    string // a part of the error; "" when the record is written
	}{
		{"text over 65,536 characters", opencdc.StructuredData{"email": "a@example.com", "firstname": atLimit + "b"},
			`property "firstname": the value is 65537 characters long, over HubSpot's limit of 65536 for a text property`},
		{"text at 65,536 characters", opencdc.StructuredData{"email": "a@example.com", "firstname": atLimit}, ""},
		{"not an option", opencdc.StructuredData{"email": "a@example.com", "tier": "platinum"},
			`property "tier": "platinum" is not one of the property's options ("gold", "silver")`},
		{"one checkbox not an option", opencdc.StructuredData{"email": "a@example.com", "interests": []string{"golf", "chess"}},
			`property "interests": "chess" is not one of the property's options ("golf", "sailing")`},
		{"an option", opencdc.StructuredData{"email": "a@example.com", "tier": "gold"}, ""},
		{"checkbox options", opencdc.StructuredData{"email": "a@example.com", "interests": []string{"golf", "sailing"}}, ""},
		{"NaN", opencdc.StructuredData{"email": "a@example.com", "annualrevenue": math.NaN()},
			`property "annualrevenue": a float64 cannot be a HubSpot number property: NaN is not a number HubSpot stores`},
		{"infinity", opencdc.StructuredData{"email": "a@example.com", "annualrevenue": math.Inf(-1)},
			`property "annualrevenue": a float64 cannot be a HubSpot number property: -Inf is not a number HubSpot stores`},
		{"number out of a double's range", opencdc.RawData(`{"email":"a@example.com","annualrevenue":1e400}`),
			`property "annualrevenue": a json.Number cannot be a HubSpot number property: out of the range of numbers HubSpot stores`},
		{"invalid UTF-8", opencdc.StructuredData{"email": "a@example.com", "city": "Z\xfcrich"},
			`property "city": the value is not valid UTF-8 (byte 1 is 0xfc)`},
		{"invalid UTF-8 in raw JSON", opencdc.RawData("{\"email\":\"a@example.com\",\"city\":\"Z\xfcrich\"}"),
			`field "city" of the payload is not valid UTF-8 (byte 34 of the payload is 0xfc)`},
		{"invalid UTF-8 in raw JSON, HubSpot's shape", opencdc.RawData("{\"properties\":{\"email\":\"a@example.com\",\"city\":\"Z\xfcrich\"}}"),
			`field "properties.city" of the payload is not valid UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			if err := srv.AddProperty("contacts", hubspottest.PropertyDef{
				Name: "interests", Type: hubspottest.TypeEnumeration, FieldType: "checkbox",
				Options: []hubspottest.PropertyOption{{Label: "Golf", Value: "golf"}, {Label: "Sailing", Value: "sailing"}},
			}); err != nil {
				t.Fatal(err)
			}
			if err := srv.AddProperty("contacts", hubspottest.PropertyDef{
				Name: "tier", Type: hubspottest.TypeEnumeration, FieldType: "select",
				Options: []hubspottest.PropertyOption{{Label: "Gold", Value: "gold"}, {Label: "Silver", Value: "silver"}},
			}); err != nil {
				t.Fatal(err)
			}
			d := openDestination(t, srv, map[string]string{"idProperty": "email"})
			srv.ResetCalls()
			n, err := d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "p1", nil, tt.payload)})
			if tt.want == "" {
				is.NoErr(err)
				is.Equal(n, 1)
				is.Equal(len(live(srv)), 1)
				return
			}
			is.Equal(n, 0)
			is.True(err != nil)
			t.Log(err)
			is.True(strings.Contains(err.Error(), "record 0 (position p1, key none): "+tt.want))
			is.Equal(srv.TotalCalls(), 0) // before any call
			is.Equal(len(live(srv)), 0)
		})
	}
}

// TestCMSTextNotUTF8FailsBeforeAnyCall: a CMS object's text field that is
// not UTF-8 fails its record, naming the field, before any call, instead
// of reaching HubSpot with U+FFFD in place of its bytes.
func TestCMSTextNotUTF8FailsBeforeAnyCall(t *testing.T) {
	for name, payload := range map[string]opencdc.Data{
		"structured": opencdc.StructuredData{"name": "Caf\xe9", "language": "fr"},
		"raw JSON":   opencdc.RawData("{\"name\":\"Caf\xe9\",\"language\":\"fr\"}"),
	} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": "blog_tags"})
			srv.ResetCalls()
			n, err := d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "p1", id("src-1"), payload)})
			is.Equal(n, 0)
			is.True(err != nil)
			t.Log(err)
			is.True(strings.Contains(err.Error(), `field "name"`))
			is.True(strings.Contains(err.Error(), "not valid UTF-8"))
			is.Equal(srv.TotalCalls(), 0)
			is.Equal(len(srv.LiveBlogTags()), 0)
		})
	}
}

// TestOptionAddedInHubSpotAfterOpen: a value that is none of the options
// read at Open fails without a call while they are fresh; once they are a
// minute old, the destination reads them again before it refuses, and
// writes a value someone added as an option in HubSpot since.
func TestOptionAddedInHubSpotAfterOpen(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	gold := []hubspottest.PropertyOption{{Label: "Gold", Value: "gold"}}
	is.NoErr(srv.AddProperty("contacts", hubspottest.PropertyDef{Name: "tier", Type: hubspottest.TypeEnumeration, FieldType: "select", Options: gold}))
	clock := hubspottest.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	d := openDestination(t, srv, map[string]string{"idProperty": "email"}, destination.WithClock(clock))
	is.NoErr(srv.SetPropertyOptions("contacts", "tier", append(gold, hubspottest.PropertyOption{Label: "Silver", Value: "silver"})))
	silver := rec(opencdc.OperationCreate, "p1", nil, opencdc.StructuredData{"email": "s@example.com", "tier": "silver"})

	srv.ResetCalls()
	n, err := d.Write(ctx, []opencdc.Record{silver})
	is.Equal(n, 0)
	is.True(err != nil && strings.Contains(err.Error(), `property "tier": "silver" is not one of the property's options ("gold")`))
	is.Equal(srv.TotalCalls(), 0)

	clock.Advance(time.Minute)
	n, err = d.Write(ctx, []opencdc.Record{silver})
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(onlyContact(t, srv).Properties["tier"], "silver")
}
