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

// Tests of how real HubSpot answers writes, where it differs from what a
// reader of its reference pages would expect (docs/hubspot.md, "Writing
// values", "Uniqueness", "Batches").

// TestUpsertOnEmail: HubSpot's properties API says email is not unique,
// yet contacts upsert on it, folding its case.
func TestUpsertOnEmail(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"idProperty": "email"})

	key := func(email string) opencdc.Data { return opencdc.StructuredData{"email": email} }
	srv.ResetCalls()
	n, err := d.Write(ctx, []opencdc.Record{
		rec(opencdc.OperationCreate, "p1", key("Ann@Example.com"), opencdc.StructuredData{"email": "Ann@Example.com", "firstname": "Ann"}),
		rec(opencdc.OperationUpdate, "p2", key("ann@example.com"), opencdc.StructuredData{"email": "ann@example.com", "firstname": "Anne"}),
		rec(opencdc.OperationCreate, "p3", key("bob@example.com"), opencdc.StructuredData{"email": "bob@example.com", "firstname": "Bob"}),
	})
	is.NoErr(err)
	is.Equal(n, 3)
	is.Equal(srv.Calls(), map[string]int{"POST /crm/objects/2026-09/contacts/batch/upsert": 1}) // Ann's two records as one input
	objs := live(srv)
	is.Equal(len(objs), 2) // Ann once, in her last version
	for _, o := range objs {
		if strings.EqualFold(o.Properties["email"], "ann@example.com") {
			is.Equal(o.Properties["firstname"], "Anne")
		}
	}
}

// TestNullClearsAValue: HubSpot keeps the old value when sent null; ""
// clears it.
func TestNullClearsAValue(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	objID, err := srv.Create("contacts", map[string]string{"email": "c@example.com", "city": "Oslo", "annualrevenue": "10"})
	is.NoErr(err)
	d := openDestination(t, srv, nil)
	n, err := d.Write(ctx, []opencdc.Record{rec(opencdc.OperationUpdate, "u", id(objID),
		opencdc.RawData(`{"city":null,"annualrevenue":null,"firstname":"C"}`))})
	is.NoErr(err)
	is.Equal(n, 1)
	o, _ := srv.Object("contacts", objID)
	is.Equal(o.Properties["city"], "")
	is.Equal(o.Properties["annualrevenue"], "")
	is.Equal(o.Properties["firstname"], "C")
}

// addConsent adds a text property "consent" whose validation rule takes
// yes and no only. Another value is one the destination sends as it is
// and HubSpot refuses, as tests of HubSpot's refusals need: a value the
// destination can tell is out of range (not its property's type, not one
// of an enumeration's options) fails before any call.
func addConsent(t *testing.T, srv *hubspottest.Server, objectType string) {
	t.Helper()
	if err := srv.AddProperty(objectType, hubspottest.PropertyDef{Name: "consent", Type: hubspottest.TypeString}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValidationRules(objectType, "consent", hubspottest.ValidationRule{RuleType: "REGEX", RuleArguments: []string{"^(yes|no)$"}}); err != nil {
		t.Fatal(err)
	}
}

// TestWritesWithAndWithoutTraceIDs runs batch writes with 207 answers
// against both rollouts: a record HubSpot wrote is never reported failed,
// none is written twice, and a created object is found by its record key.
func TestWritesWithAndWithoutTraceIDs(t *testing.T) {
	rollouts := []struct {
		name string
		opts []hubspottest.Option
	}{
		{"trace ids echoed", nil},
		{"older rollout without trace ids", []hubspottest.Option{hubspottest.WithoutWriteTraceIDs()}},
	}
	for _, r := range rollouts {
		t.Run(r.name+"/deals, failure named by nothing", func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t, r.opts...)
			addConsent(t, srv, "deals")
			d := openDestination(t, srv, map[string]string{"resource": "deals"})
			recs := []opencdc.Record{
				rec(opencdc.OperationCreate, "p0", opencdc.RawData("k0"), opencdc.StructuredData{"dealname": "A", "amount": "1.50"}),
				rec(opencdc.OperationCreate, "p1", opencdc.RawData("k1"), opencdc.StructuredData{"dealname": "B", "consent": "perhaps"}),
				rec(opencdc.OperationCreate, "p2", opencdc.RawData("k2"), opencdc.StructuredData{"dealname": "C", "amount": 3}),
			}
			n, err := d.Write(ctx, recs)
			is.Equal(n, 1)
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), "position p1"))
			deals := srv.Objects("deals")
			is.Equal(len(deals), 2) // A and C: HubSpot applies deals partially
			// Conduit delivers the rest again: C is not created twice.
			n, err = d.Write(ctx, recs[2:])
			is.NoErr(err)
			is.Equal(n, 1)
			is.Equal(len(srv.Objects("deals")), 2)
			// An update keyed like a create reaches the object it made.
			n, err = d.Write(ctx, []opencdc.Record{rec(opencdc.OperationUpdate, "p3", opencdc.RawData("k2"), opencdc.StructuredData{"dealname": "C2"})})
			is.NoErr(err)
			is.Equal(n, 1)
			names := map[string]bool{}
			for _, o := range srv.Objects("deals") {
				names[o.Properties["dealname"]] = true
			}
			is.Equal(names, map[string]bool{"A": true, "C2": true})
		})
		t.Run(r.name+"/contacts created, then updated by record key", func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t, r.opts...)
			d := openDestination(t, srv, nil)
			recs := creates(5, 0)
			for i := range recs {
				recs[i].Key = opencdc.RawData(fmt.Sprintf("k%d", i))
			}
			n, err := d.Write(ctx, recs)
			is.NoErr(err)
			is.Equal(n, 5)
			n, err = d.Write(ctx, []opencdc.Record{rec(opencdc.OperationUpdate, "u3", opencdc.RawData("k3"), opencdc.StructuredData{"lastname": "Three"})})
			is.NoErr(err)
			is.Equal(n, 1)
			for _, o := range live(srv) {
				is.Equal(o.Properties["lastname"] == "Three", o.Properties["email"] == "w3@example.com")
			}
		})
	}
}

// TestOneBadRecordInARejectedBatch: HubSpot refuses a contact batch whole
// for one bad input, naming none; the destination halves the batch until
// the bad record stands alone and writes the ones before it.
func TestOneBadRecordInARejectedBatch(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	addConsent(t, srv, "contacts")
	d := openDestination(t, srv, map[string]string{"idProperty": "email"})
	const bad = 70
	recs := make([]opencdc.Record, 100)
	for i := range recs {
		email := fmt.Sprintf("u%d@example.com", i)
		payload := opencdc.StructuredData{"email": email, "firstname": fmt.Sprintf("F%d", i)}
		if i == bad {
			payload["consent"] = "perhaps"
		}
		recs[i] = rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), opencdc.StructuredData{"email": email}, payload)
	}
	srv.ResetCalls()
	n, err := d.Write(ctx, recs)
	is.Equal(n, bad)
	is.True(err != nil)
	msg := err.Error()
	is.True(strings.Contains(msg, fmt.Sprintf("position p%d", bad))) // the bad record, with its own error
	is.True(strings.Contains(msg, "perhaps"))
	is.Equal(len(live(srv)), bad) // the ones before it, and none after
	calls := srv.Calls()["POST /crm/objects/2026-09/contacts/batch/upsert"]
	t.Logf("one bad record in 100 cost %d upsert calls", calls)
	is.True(calls <= 1+2*7) // the refused call, then at most two per halving

	// Delivered again from the bad record: it fails alone, the rest follow.
	recs[bad].Payload.After.(opencdc.StructuredData)["consent"] = "yes"
	n, err = d.Write(ctx, recs[bad:])
	is.NoErr(err)
	is.Equal(n, 100-bad)
	is.Equal(len(live(srv)), 100)
}

// TestLostCreateAnswers: contacts written without idProperty while 2 % of
// the batch creates are applied by HubSpot and answered 502 (and some
// answered 502 without being applied): nothing is missing, nothing twice.
func TestLostCreateAnswers(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	rng := seededRand(t, 20261124)
	srv := newSim(t)
	d := openDestination(t, srv, nil)
	const total, per = 2000, 10
	recs := creates(total, 0)
	faults := 0
	for lo := 0; lo < total; lo += per {
		if rng.IntN(50) == 0 { // 2 % of the create calls
			faults++
			srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/contacts/batch/create",
				Kind: hubspottest.FaultHTML, Status: 502, Applied: rng.IntN(4) != 0, Times: 1})
		}
		n, err := d.Write(ctx, recs[lo:lo+per])
		is.NoErr(err)
		is.Equal(n, per)
	}
	is.True(faults > 0)
	createdTimes := 0
	for _, c := range srv.Changes("contacts") {
		if c.Kind == hubspottest.ChangeCreate {
			createdTimes++
		}
	}
	is.Equal(createdTimes, total) // no create was applied twice, or refused for an existing email
	count := map[string]int{}
	for _, o := range live(srv) {
		count[o.Properties["email"]]++
	}
	missing, twice := 0, 0
	for i := range total {
		switch count[fmt.Sprintf("w%d@example.com", i)] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	t.Logf("%d lost answers: %d missing, %d created twice", faults, missing, twice)
	is.Equal(missing, 0)
	is.Equal(twice, 0)
}

// TestLostCreateAnswerWithoutUniqueValue: a deal carries nothing to look
// it up by; the error says so and how to make writes idempotent.
func TestLostCreateAnswerWithoutUniqueValue(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "deals"})
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/deals/batch/create", Kind: hubspottest.FaultHTML, Status: 502, Applied: true, Times: 1})
	n, err := d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "p", nil, opencdc.StructuredData{"dealname": "D"})})
	is.Equal(n, 0)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "idProperty"))
	is.True(strings.Contains(err.Error(), "create it twice"))
	is.Equal(len(srv.Objects("deals")), 1) // sent once, never again
}

// TestLostAnswerToARefusedCreate: HubSpot refused a contact batch whole
// (one email exists, with other values) and the answer was lost. The
// existing contact does not count as created; the other is created once.
func TestLostAnswerToARefusedCreate(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	_, err := srv.Create("contacts", map[string]string{"email": "b@example.com", "firstname": "Old"})
	is.NoErr(err)
	d := openDestination(t, srv, nil)
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/contacts/batch/create", Kind: hubspottest.FaultHTML, Status: 504, Applied: true, Times: 1})
	n, err := d.Write(context.Background(), []opencdc.Record{
		rec(opencdc.OperationCreate, "pa", nil, opencdc.StructuredData{"email": "a@example.com", "firstname": "A"}),
		rec(opencdc.OperationCreate, "pb", nil, opencdc.StructuredData{"email": "b@example.com", "firstname": "New"}),
	})
	is.Equal(n, 1)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "position pb"))
	is.True(strings.Contains(err.Error(), "other values"))
	is.Equal(len(live(srv)), 2)
}

// TestRedeliveredCreateAfterFailedLookup: a create HubSpot applied whose
// answer was lost, and whose lookup failed too, is delivered again after
// the pipeline restarts: HubSpot's 409 names a contact that holds exactly
// the record's values, so the record counts as written, once.
func TestRedeliveredCreateAfterFailedLookup(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	recs := []opencdc.Record{rec(opencdc.OperationCreate, "p", nil, opencdc.StructuredData{"email": "a@example.com", "firstname": "A", "annualrevenue": "10.50"})}
	d := openDestination(t, srv, map[string]string{"maxRetries": "1"})
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/contacts/batch/create", Kind: hubspottest.FaultReset, Applied: true, Times: 1})
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/contacts/batch/read", Kind: hubspottest.FaultStatus, Status: 503, Times: 2})
	n, err := d.Write(context.Background(), recs)
	is.Equal(n, 0)
	is.True(err != nil)

	d = openDestination(t, srv, nil) // the pipeline restarts
	n, err = d.Write(context.Background(), recs)
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(len(live(srv)), 1)
}

// TestNullIDPropertyValue: an upsert whose payload holds null for the
// idProperty keeps the key's value; it never clears the email.
func TestNullIDPropertyValue(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"idProperty": "email"})
	for _, pos := range []string{"p1", "p2"} {
		n, err := d.Write(context.Background(), []opencdc.Record{
			rec(opencdc.OperationUpdate, pos, opencdc.StructuredData{"email": "a@example.com"}, opencdc.RawData(`{"email":null,"firstname":"`+pos+`"}`)),
		})
		is.NoErr(err)
		is.Equal(n, 1)
	}
	o := onlyContact(t, srv)
	is.Equal(o.Properties["email"], "a@example.com")
	is.Equal(o.Properties["firstname"], "p2")
}

// TestUpdatesOfMergedIDs: updates keyed by ids HubSpot merged into another
// contact reach the survivor and count as written, under both merge
// behaviours.
func TestUpdatesOfMergedIDs(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []hubspottest.Option
	}{
		{"merge makes a new id", nil},
		{"merge keeps the primary id", []hubspottest.Option{hubspottest.WithMergeKeepsPrimaryID()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t, tt.opts...)
			a, err := srv.Create("contacts", map[string]string{"email": "a@example.com"})
			is.NoErr(err)
			b, err := srv.Create("contacts", map[string]string{"email": "b@example.com"})
			is.NoErr(err)
			other, err := srv.Create("contacts", map[string]string{"email": "c@example.com"})
			is.NoErr(err)
			survivor, err := srv.Merge("contacts", a, b)
			is.NoErr(err)
			d := openDestination(t, srv, nil)
			n, err := d.Write(context.Background(), []opencdc.Record{
				rec(opencdc.OperationUpdate, "p1", id(b), opencdc.StructuredData{"city": "Bergen"}),
				rec(opencdc.OperationUpdate, "p2", id(other), opencdc.StructuredData{"city": "Oslo"}),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			s, _ := srv.Object("contacts", survivor)
			is.Equal(s.Properties["city"], "Bergen")
			o, _ := srv.Object("contacts", other)
			is.Equal(o.Properties["city"], "Oslo")
		})
	}
}
