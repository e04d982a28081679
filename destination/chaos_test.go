package destination_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/chaos"
	"github.com/conduitio/conduit-commons/opencdc"
)

// writeFault is a fault on a write: statuses, resets, truncated and slow
// answers, and writes HubSpot applied whose answer was lost.
func writeFault(rng *rand.Rand) hubspottest.Fault {
	f := hubspottest.Fault{Method: "POST", Path: "/crm/objects/2026-09/*/batch/*", Times: 1 + rng.IntN(3)}
	switch rng.IntN(6) {
	case 0:
		f.Kind, f.Status, f.Times = hubspottest.FaultStatus, 429, 1+rng.IntN(6)
	case 1:
		f.Kind, f.Status = hubspottest.FaultStatus, 503
	case 2:
		f.Kind, f.Status, f.Applied = hubspottest.FaultStatus, 504, true
	case 3:
		f.Kind, f.Applied = hubspottest.FaultReset, rng.IntN(2) == 0
	case 4:
		f.Kind = hubspottest.FaultTruncate
	default:
		f.Kind, f.Delay = hubspottest.FaultDelay, time.Duration(rng.IntN(20))*time.Millisecond
	}
	return f
}

// deliver hands the records over as Conduit does: in batches; after an
// error the pipeline restarts (sometimes with a new destination) and
// delivers again from the first record not written.
func deliver(t *testing.T, rng *rand.Rand, srv *hubspottest.Server, settings map[string]string, recs []opencdc.Record, runs int) (restarts int) {
	t.Helper()
	d := openDestination(t, srv, settings)
	next := 0
	for next < len(recs) {
		if rng.IntN(max(1, len(recs)/(100*max(1, runs/10)))+1) == 0 || rng.IntN(4) == 0 {
			srv.InjectFault(writeFault(rng))
		}
		batch := recs[next:min(len(recs), next+1+rng.IntN(100))]
		n, err := d.Write(context.Background(), batch)
		next += n
		if err != nil {
			restarts++
			if restarts > 50*runs+1000 {
				t.Fatalf("no progress: %v", err)
			}
			if rng.IntN(2) == 0 {
				_ = d.Teardown(context.Background())
				d = openDestination(t, srv, settings)
			}
		}
	}
	return restarts
}

// TestDestinationChaos with idProperty: whatever fails, HubSpot ends with
// exactly the objects the records describe, none twice.
func TestDestinationChaos(t *testing.T) {
	chaos.Run(t, 10, destinationChaos)
}

func destinationChaos(t *testing.T, c chaos.Case) {
	runs := c.Runs
	rng := rand.New(rand.NewPCG(c.Seed, 5))
	srv := newSim(t, hubspottest.WithRandomSeed(c.Seed))

	want := map[string]map[string]string{} // email -> properties; absent: archived or never made
	var recs []opencdc.Record
	for i := range runs * 60 {
		email := fmt.Sprintf("k%d@example.com", rng.IntN(runs*20))
		pos := "r" + strconv.Itoa(i)
		switch rng.IntN(6) {
		case 0:
			recs = append(recs, rec(opencdc.OperationDelete, pos, opencdc.StructuredData{"email": email}, nil))
			delete(want, email)
		case 1, 2:
			name := "N" + strconv.Itoa(i)
			recs = append(recs, rec(opencdc.OperationCreate, pos, nil, opencdc.StructuredData{"email": email, "firstname": name}))
			if want[email] == nil {
				want[email] = map[string]string{}
			}
			want[email]["firstname"] = name
		default:
			city := "C" + strconv.Itoa(i)
			recs = append(recs, rec(opencdc.OperationUpdate, pos, opencdc.StructuredData{"email": email}, opencdc.StructuredData{"city": city}))
			if want[email] == nil {
				want[email] = map[string]string{}
			}
			want[email]["city"] = city
		}
	}
	restarts := deliver(t, rng, srv, map[string]string{"idProperty": "email", "maxRetries": "2"}, recs, runs)

	got := map[string]map[string]string{}
	dups := 0
	for _, o := range srv.Objects("contacts") {
		if o.Archived {
			continue
		}
		email := o.Properties["email"]
		if got[email] != nil {
			dups++
		}
		got[email] = o.Properties
	}
	for email, props := range want {
		for k, v := range props {
			if got[email][k] != v {
				t.Errorf("%s: %s is %q, want %q", email, k, got[email][k], v)
			}
		}
	}
	for email := range got {
		if want[email] == nil {
			t.Errorf("%s exists, but its last record archived it", email)
		}
	}
	t.Logf("%d records, %d pipeline restarts, %d duplicates", len(recs), restarts, dups)
	if dups != 0 {
		t.Fatalf("%d duplicates", dups)
	}
}

// TestDestinationChaosWithoutIDProperty counts what HubSpot's lack of an
// idempotency key costs: a create applied by HubSpot whose answer was lost
// is created again when the pipeline delivers it again.
func TestDestinationChaosWithoutIDProperty(t *testing.T) {
	chaos.Run(t, 10, destinationChaosWithoutIDProperty)
}

func destinationChaosWithoutIDProperty(t *testing.T, c chaos.Case) {
	runs := c.Runs
	rng := rand.New(rand.NewPCG(c.Seed, 6))
	srv := newSim(t, hubspottest.WithRandomSeed(c.Seed))
	recs := make([]opencdc.Record, runs*60)
	for i := range recs {
		recs[i] = rec(opencdc.OperationCreate, "r"+strconv.Itoa(i), nil, opencdc.StructuredData{"name": "Company " + strconv.Itoa(i)})
	}
	restarts := deliver(t, rng, srv, map[string]string{"resource": "companies", "maxRetries": "2"}, recs, runs)
	names := map[string]int{}
	for _, o := range srv.Objects("companies") {
		names[o.Properties["name"]]++
	}
	dups := 0
	for i := range recs {
		n := names["Company "+strconv.Itoa(i)]
		if n == 0 {
			t.Fatalf("Company %d was never created", i)
		}
		dups += n - 1
	}
	t.Logf("%d creates, %d pipeline restarts, %d duplicates (creates applied whose answer was lost)", len(recs), restarts, dups)
}

// TestDestinationChaosContactsWithoutIDProperty: contacts carry an email,
// by which a create whose answer was lost is looked up before anything is
// sent again: whatever fails, every contact exists once.
func TestDestinationChaosContactsWithoutIDProperty(t *testing.T) {
	chaos.Run(t, 10, destinationChaosContactsWithoutIDProperty)
}

func destinationChaosContactsWithoutIDProperty(t *testing.T, c chaos.Case) {
	runs := c.Runs
	rng := rand.New(rand.NewPCG(c.Seed, 7))
	srv := newSim(t, hubspottest.WithRandomSeed(c.Seed))
	recs := creates(runs*60, 0)
	restarts := deliver(t, rng, srv, map[string]string{"maxRetries": "2"}, recs, runs)
	emails := map[string]int{}
	for _, o := range live(srv) {
		emails[o.Properties["email"]]++
	}
	for i := range recs {
		if n := emails["w"+strconv.Itoa(i)+"@example.com"]; n != 1 {
			t.Fatalf("contact %d exists %d times (%d pipeline restarts)", i, n, restarts)
		}
	}
	// HubSpot refuses a second contact with one email, so count the
	// creates it applied: one per record.
	applied := 0
	for _, c := range srv.Changes("contacts") {
		if c.Kind == hubspottest.ChangeCreate {
			applied++
		}
	}
	if applied != len(recs) {
		t.Fatalf("%d creates applied for %d records", applied, len(recs))
	}
	t.Logf("%d creates, %d pipeline restarts, 0 duplicates", len(recs), restarts)
}
