package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/sandbox"
)

// TestAccountFileToHubSpot runs examples/file-to-hubspot.yaml, the upsert
// on email, in Conduit against a live account (internal/testkit/sandbox: the
// simulator, or under make test-sandbox a real account), and reads the
// contacts back over HTTP. It archives them even when it fails.
func TestAccountFileToHubSpot(t *testing.T) {
	acc := sandbox.Open(t, []string{"contacts"})
	const n = 150
	emails := make([]string, n)
	lines := make([]string, n)
	for i := range emails {
		emails[i] = acc.Email(fmt.Sprintf("file%d", i))
		lines[i] = fmt.Sprintf(`{"email":%q,"firstname":"File %d"}`, emails[i], i)
	}
	var ids []string
	acc.Archive(t, "contacts", &ids)
	t.Cleanup(func() { // before the archive: find what the pipeline made
		found, err := readContacts(acc.Client, emails)
		if err != nil {
			t.Errorf("clean up: find the contacts of %s: %v", acc.Run, err)
		}
		for _, o := range found {
			ids = append(ids, o.ID)
		}
	})

	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startConduit(t, dir, "file-to-hubspot.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": acc.Token, "HUBSPOT_BASE_URL": acc.BaseURL, "INPUT_FILE": in,
	})
	c.waitForWhy(t, fmt.Sprintf("%d contacts in HubSpot", n), 2*time.Minute, func() (bool, string) {
		if acc.Real {
			time.Sleep(time.Second) // two calls a second at most: the account's rate limit is the tests'
		}
		found, err := readContacts(acc.Client, emails)
		if err != nil {
			return false, err.Error()
		}
		want := 0
		for i, e := range emails {
			if o := found[e]; o != nil {
				if fn, _ := o.Properties.Get("firstname"); fn == fmt.Sprintf("File %d", i) {
					want++
				}
			}
		}
		return want == n, fmt.Sprintf("%d of %d as written", want, n)
	})
}

// readContacts reads the contacts with the emails, by email.
func readContacts(c *hubspot.Client, emails []string) (map[string]*hubspot.Object, error) {
	res, err := c.Objects.BatchRead(context.Background(), "contacts", hubspot.BatchReadRequest{
		IDs: emails, IDProperty: "email", Properties: []string{"email", "firstname"},
	})
	if err != nil {
		return nil, fmt.Errorf("read contacts by email: %w", err)
	}
	out := map[string]*hubspot.Object{}
	for i := range res.Results {
		e, _ := res.Results[i].Properties.Get("email")
		out[strings.ToLower(e)] = &res.Results[i]
	}
	return out, nil
}
