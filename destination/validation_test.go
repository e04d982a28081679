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

// TestWriteValidation: a record HubSpot refuses under the account's rules
// fails alone, with an error that names it, the property, the rule and
// the value; the records around it are written, none twice. A property
// validation rule refuses at every version; a conditionally required
// property from 2026-09 (the default) on, so at 2026-03 the same record
// is written.
func TestWriteValidation(t *testing.T) {
	rules := []struct {
		name  string
		setup func(*hubspottest.Server) error
		bad   opencdc.StructuredData
		names []string // what the error says
		from  string   // the first version that refuses: "" at every one
	}{
		{
			name: "conditionally required",
			setup: func(srv *hubspottest.Server) error {
				return srv.RequireWhen("deals", "closedate", "dealstage", "closedwon")
			},
			bad:   opencdc.StructuredData{"dealname": "Won", "dealstage": "closedwon"},
			names: []string{"property closedate, no value in the record", "MISSING_CONDITIONAL_REQUIRED_PROPERTY", "dealstage is closedwon"},
			from:  "2026-09",
		},
		{
			name: "validation rule",
			setup: func(srv *hubspottest.Server) error {
				return srv.SetValidationRules("deals", "dealname", hubspottest.ValidationRule{RuleType: "MAX_LENGTH", RuleArguments: []string{"8"}})
			},
			bad:   opencdc.StructuredData{"dealname": "Far too long"},
			names: []string{`property dealname, value "Far too long"`, "INVALID_MAX_LENGTH", "Enter at most 8 characters"},
		},
	}
	for _, rule := range rules {
		for _, version := range []string{"", "2026-03", "legacy"} {
			at := version
			if at == "" {
				at = "2026-09" // the default
			}
			refuses := rule.from == "" || at != "legacy" && at >= rule.from
			t.Run(rule.name+"/apiVersion="+version, func(t *testing.T) {
				is := is.New(t)
				ctx := context.Background()
				srv := newSim(t)
				is.NoErr(rule.setup(srv))
				settings := map[string]string{"resource": "deals"}
				if version != "" {
					settings["apiVersion"] = version
				}
				d := openDestination(t, srv, settings)
				var recs []opencdc.Record
				for i := range 5 {
					payload := opencdc.StructuredData{"dealname": fmt.Sprintf("Deal %d", i), "dealstage": "closedlost"}
					if i == 2 {
						payload = rule.bad
					}
					recs = append(recs, rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), opencdc.RawData(fmt.Sprintf("k%d", i)), payload))
				}
				n, err := d.Write(ctx, recs)
				if !refuses {
					is.NoErr(err)
					is.Equal(n, 5)
					is.Equal(len(srv.Objects("deals")), 5)
					return
				}
				is.Equal(n, 2) // the records before it
				is.True(err != nil)
				t.Logf("the error: %v", err)
				msg := err.Error()
				is.True(strings.HasPrefix(msg, "record 2 (position p2, key k2): HubSpot rejected the create: ")) // the record
				for _, want := range rule.names {
					is.True(strings.Contains(msg, want)) // want
				}
				is.Equal(len(srv.Objects("deals")), 4) // HubSpot applied the others of the batch

				// Conduit sends record 2 to the DLQ and delivers the rest
				// again: written already, they are not sent twice.
				srv.ResetCalls()
				n, err = d.Write(ctx, recs[3:])
				is.NoErr(err)
				is.Equal(n, 2)
				is.Equal(len(srv.Objects("deals")), 4)
				is.Equal(len(srv.Calls()), 0)
			})
		}
	}
}

// TestWriteValidationInAWholeBatch: contact upserts are all or nothing, so
// a record without a property the account requires on create makes
// HubSpot refuse the whole call at 2026-09; the destination halves the
// batch until the record stands alone, and it fails alone. Written one
// record a call, as a pipeline with a DLQ and sdk.batch.size 1 writes,
// only that record fails: only it reaches the DLQ.
func TestWriteValidationInAWholeBatch(t *testing.T) {
	recs := func() []opencdc.Record {
		var out []opencdc.Record
		for i := range 6 {
			email := fmt.Sprintf("v%d@example.com", i)
			payload := opencdc.StructuredData{"email": email, "firstname": "F", "lastname": "L"}
			if i == 3 {
				delete(payload, "lastname")
			}
			out = append(out, rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), opencdc.StructuredData{"email": email}, payload))
		}
		return out
	}
	newDest := func(t *testing.T, version string) (*hubspottest.Server, func(context.Context, []opencdc.Record) (int, error)) {
		srv := newSim(t)
		if err := srv.RequireOnCreate("contacts", "lastname"); err != nil {
			t.Fatal(err)
		}
		settings := map[string]string{"idProperty": "email"}
		if version != "" {
			settings["apiVersion"] = version
		}
		return srv, openDestination(t, srv, settings).Write
	}

	t.Run("one batch", func(t *testing.T) {
		is := is.New(t)
		srv, write := newDest(t, "")
		n, err := write(context.Background(), recs())
		is.Equal(n, 3)
		is.True(err != nil)
		msg := err.Error()
		is.True(strings.HasPrefix(msg, "record 3 (position p3, "))
		is.True(strings.Contains(msg, "property lastname, no value in the record: refused by MISSING_REQUIRED_PROPERTY"))
		is.Equal(len(live(srv)), 3)
	})
	t.Run("one record a call", func(t *testing.T) {
		is := is.New(t)
		srv, write := newDest(t, "")
		var failed []string
		for _, r := range recs() {
			n, err := write(context.Background(), []opencdc.Record{r})
			if err != nil {
				is.Equal(n, 0)
				failed = append(failed, string(r.Position))
				continue
			}
			is.Equal(n, 1)
		}
		is.Equal(failed, []string{"p3"})
		is.Equal(len(live(srv)), 5)
	})
	t.Run("at 2026-03", func(t *testing.T) {
		is := is.New(t)
		srv, write := newDest(t, "2026-03")
		n, err := write(context.Background(), recs())
		is.NoErr(err)
		is.Equal(n, 6)
		is.Equal(len(live(srv)), 6)
	})
}
