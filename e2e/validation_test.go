package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
)

// TestWriteValidationToTheDLQ: at the default apiVersion (2026-09), a
// record without a property the account requires on create, and one whose
// value breaks a property validation rule, go to Conduit's DLQ, each with
// an error naming its property, the rule and the value; the others reach
// HubSpot.
func TestWriteValidationToTheDLQ(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	if err := srv.RequireOnCreate("contacts", "lastname"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValidationRules("contacts", "firstname", hubspottest.ValidationRule{RuleType: "ALPHANUMERIC", RuleArguments: []string{"ALPHA_ONLY"}}); err != nil {
		t.Fatal(err)
	}
	in, dlq := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "dlq.jsonl")
	var lines []string
	for i := range 30 {
		switch i {
		case 7:
			lines = append(lines, fmt.Sprintf(`{"email":"v%d@example.com","firstname":"Seven"}`, i))
		case 19:
			lines = append(lines, fmt.Sprintf(`{"email":"v%d@example.com","firstname":"R2D2","lastname":"Droid"}`, i))
		default:
			lines = append(lines, fmt.Sprintf(`{"email":"v%d@example.com","firstname":"Ann","lastname":"L"}`, i))
		}
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startConduit(t, dir, "file-to-hubspot-dlq.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL, "INPUT_FILE": in, "DLQ_FILE": dlq,
	})
	c.waitForWhy(t, "28 contacts in HubSpot, 2 records in the DLQ", time.Minute, func() (bool, string) {
		n, dead := len(srv.Objects("contacts")), len(readRecords(t, dlq))
		return n == 28 && dead == 2, fmt.Sprintf("%d contacts, %d in the DLQ", n, dead)
	})
	want := map[string][]string{
		"v7@example.com":  {"property lastname, no value in the record", "MISSING_REQUIRED_PROPERTY"},
		"v19@example.com": {`property firstname, value "R2D2"`, "INVALID_ALPHA", "Enter only letters"},
	}
	for _, r := range readRecords(t, dlq) {
		msg := r.Metadata["conduit.dlq.nack.error"]
		// The DLQ holds the record that failed, written as JSON.
		var failed opencdc.Record
		if err := json.Unmarshal(r.Payload.After.Bytes(), &failed); err != nil {
			t.Fatalf("a DLQ record: %v", err)
		}
		payload := string(failed.Payload.After.Bytes())
		found := false
		for email, names := range want {
			if !strings.Contains(payload, `"`+email+`"`) {
				continue
			}
			found = true
			for _, name := range names {
				if !strings.Contains(msg, name) {
					t.Errorf("the DLQ error of %s does not say %q: %q", email, name, msg)
				}
			}
			delete(want, email)
		}
		if !found {
			t.Errorf("a record in the DLQ that HubSpot's rules do not refuse, or twice: %s", payload)
		}
	}
	for email := range want {
		t.Errorf("%s is not in the DLQ", email)
	}
}
