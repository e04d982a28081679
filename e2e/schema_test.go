package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/database/inmemory"
	"github.com/conduitio/conduit-commons/opencdc"
	schemaregistry "github.com/conduitio/conduit-schema-registry"
)

// newRegistry serves a Confluent-compatible schema registry on loopback,
// the one Conduit builds in, so that the test can read what Conduit's
// registry holds.
func newRegistry(t *testing.T) string {
	t.Helper()
	reg, err := schemaregistry.NewSchemaRegistry(&inmemory.DB{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	schemaregistry.NewServer(nil, reg).RegisterHandlers(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// registered returns the schema the registry holds for subject and
// version.
func registered(t *testing.T, registry, subject string, version int) string {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/subjects/%s/versions/%d/schema", registry, url.PathEscape(subject), version))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the registry has no %s v%d: %d %s", subject, version, resp.StatusCode, body)
	}
	return string(body)
}

// TestTypedToFile: HubSpot's ~600 contact properties reach a file through
// Conduit typed (numbers as numbers, booleans as booleans, multiple
// checkboxes as lists), and every record names key and payload schemas
// that Conduit's schema registry holds, with a field for each property.
func TestTypedToFile(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t, hubspottest.WithFullPropertyCatalog())
	if _, err := srv.Seed("contacts", 40, nil); err != nil {
		t.Fatal(err)
	}
	registry := newRegistry(t)
	out := filepath.Join(dir, "contacts.jsonl")
	c := startConduit(t, dir, "hubspot-to-file.yaml", sourceEnv(srv, out),
		"--schema-registry.type", "confluent", "--schema-registry.confluent.connection-string", registry)
	c.waitFor(t, "the snapshot", func() bool { return len(readRecords(t, out)) >= 40 })

	kinds := map[string]string{} // property: the JSON type its values must have
	for _, p := range srv.Properties("contacts", false) {
		switch {
		case p.Type == "number":
			kinds[p.Name] = "float64"
		case p.Type == "bool":
			kinds[p.Name] = "bool"
		case p.FieldType == "checkbox":
			kinds[p.Name] = "[]interface {}"
		case p.Type == "string":
			kinds[p.Name] = "string"
		}
	}
	seen := map[string]int{}
	for _, r := range readRecords(t, out) {
		after, ok := r.Payload.After.(opencdc.StructuredData)
		if !ok {
			t.Fatalf("record %v: payload is %T, not structured", r.Key, r.Payload.After)
		}
		for name, v := range after {
			want, ok := kinds[name]
			if !ok || v == nil {
				continue
			}
			if got := fmt.Sprintf("%T", v); got != want {
				t.Fatalf("record %v: %s is a %s (%v), want a %s", r.Key, name, got, v, want)
			}
			seen[want]++
		}
		for _, which := range []string{"key", "payload"} {
			subject := r.Metadata["opencdc."+which+".schema.subject"]
			var version int
			if _, err := fmt.Sscan(r.Metadata["opencdc."+which+".schema.version"], &version); err != nil || subject == "" {
				t.Fatalf("record %v names no %s schema: %v", r.Key, which, r.Metadata)
			}
			var sch struct {
				Fields []struct{ Name string } `json:"fields"`
			}
			if err := json.Unmarshal([]byte(registered(t, registry, subject, version)), &sch); err != nil {
				t.Fatal(err)
			}
			if which == "payload" && len(sch.Fields) < len(after) {
				t.Fatalf("%s v%d has %d fields, fewer than the record's %d", subject, version, len(sch.Fields), len(after))
			}
		}
	}
	for _, kind := range []string{"float64", "bool", "[]interface {}", "string"} {
		if seen[kind] == 0 {
			t.Errorf("no value of %s came", kind)
		}
	}
	t.Logf("values by JSON type: %v", seen)
}
