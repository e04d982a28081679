package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
)

// badRow is one kind of bad input: an OpenCDC record (as unwrap.opencdc
// reads it) and what the destination makes of it.
type badRow struct {
	name     string
	pipeline string // "upserts" (idProperty email) or "by-id"
	op       string
	key      any // a string is raw bytes
	payload  any // a string is raw bytes
	// want is the error after "record N (position P, key K): "; "" is a
	// record that succeeds without writing anything.
	want string
}

// rowMeta names a record's row in its metadata, which the DLQ keeps.
const rowMeta = "test.row"

// badRows is the table of docs/destination.md, "Bad input and what it
// gets".
func badRows() []badRow {
	long := strings.Repeat("a", 65537)
	return []badRow{
		{"no idProperty value, a line number key", "upserts", "create", "7", map[string]any{"email": "", "firstname": "noemail"},
			`no value for idProperty "email": none in the payload's field "email", and the key "7" is bare bytes, no field "email" ("idFromBareKey": true lets a bare key stand in for it), so nothing was sent for this record`},
		{"empty payload, a line number key", "upserts", "create", "8", map[string]any{},
			`no value for idProperty "email": none in the payload's field "email", and the key "8" is bare bytes`},
		{"no idProperty value, a key naming another field", "upserts", "update", map[string]any{"line": 9}, map[string]any{"firstname": "x"},
			`no value for idProperty "email": none in the payload's field "email", and the key has fields [line], none "email"`},
		{"a key of an unsupported type", "upserts", "create", map[string]any{"email": map[string]any{"a": 1}}, map[string]any{"firstname": "x"},
			`key field "email": a map[string]interface {} cannot be a HubSpot string property: not a type HubSpot stores`},
		{"text over 65,536 characters", "upserts", "create", nil, map[string]any{"email": "long@example.com", "firstname": long},
			`property "firstname": the value is 65537 characters long, over HubSpot's limit of 65536 for a text property`},
		{"an enumeration value that is no option", "upserts", "create", nil, map[string]any{"email": "tier@example.com", "tier": "platinum"},
			`property "tier": "platinum" is not one of the property's options ("gold", "silver")`},
		{"a number that is not finite as a double", "upserts", "create", nil, `{"email":"inf@example.com","annualrevenue":1e400}`,
			`property "annualrevenue": a json.Number cannot be a HubSpot number property: out of the range of numbers HubSpot stores`},
		{"text that is not UTF-8", "upserts", "create", nil, "{\"email\":\"utf@example.com\",\"city\":\"Z\xfcrich\"}",
			`field "city" of the payload is not valid UTF-8 (byte 36 of the payload is 0xfc)`},
		{"a nested object for a string property", "upserts", "create", nil, map[string]any{"email": "nest@example.com", "city": map[string]any{"name": "Oslo"}},
			`property "city": a map[string]interface {} cannot be a HubSpot string property: not a type HubSpot stores`},
		{"a payload neither structured nor JSON", "upserts", "create", nil, "email=text@example.com",
			`payload is not a JSON object: invalid character 'e' looking for beginning of value`},
		{"a JSON array payload", "upserts", "create", nil, `["array@example.com"]`,
			`payload is not a JSON object: json: cannot unmarshal array into Go value of type map[string]interface {}`},
		{"an unknown property", "upserts", "create", nil, map[string]any{"email": "unk@example.com", "favourite_colour": "blue"},
			`contacts has no properties favourite_colour`},
		{"a link to an id that is not UTF-8", "upserts", "create", nil, "{\"email\":\"link@example.com\",\"associations\":{\"companies\":[\"co-\xff\"]}}",
			`field "associations" of the payload is not valid UTF-8`},
		{"a link to an id over HubSpot's text limit", "upserts", "create", nil, map[string]any{"email": "link@example.com", "associations": map[string]any{"companies": []any{long}}},
			`associations.companies[0]: the id "aaaa`},
		{"an update of an id HubSpot does not have", "by-id", "update", map[string]any{"id": "999999999"}, map[string]any{"firstname": "ghost"},
			`HubSpot rejected the update: OBJECT_NOT_FOUND`},
		{"a delete of an id HubSpot does not have", "by-id", "delete", map[string]any{"id": "999999998"}, nil, ""},
		{"a HubSpot id key of an unsupported type", "by-id", "update", map[string]any{"id": []any{1, 2}}, map[string]any{"firstname": "x"},
			`key: a []interface {} cannot be a HubSpot string property: a list for a property of one value`},
	}
}

// line is a row's record as unwrap.opencdc reads it: raw bytes as base64.
func (r badRow) line(t *testing.T, name string) string {
	t.Helper()
	data := func(v any) any {
		if s, ok := v.(string); ok {
			return base64.StdEncoding.EncodeToString([]byte(s))
		}
		return v
	}
	payload := map[string]any{"after": data(r.payload)}
	if r.op == "delete" {
		payload = map[string]any{"before": data(r.payload)}
	}
	b, err := json.Marshal(map[string]any{
		"operation": r.op, "key": data(r.key), "payload": payload,
		"metadata": map[string]string{rowMeta: name},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goodRow is the good record written after each bad one.
func goodRow(pipeline string, i int) (badRow, string) {
	email := fmt.Sprintf("good-%s-%d@example.com", pipeline, i)
	key := any(map[string]any{"email": email})
	if pipeline == "by-id" {
		key = map[string]any{"id": fmt.Sprintf("src-%d", i)}
	}
	return badRow{name: "good " + email, pipeline: pipeline, op: "create", key: key,
		payload: map[string]any{"email": email, "firstname": "Good"}}, email
}

// TestBadInputTable runs each kind of bad record, between good ones, through
// real Conduit with a DLQ: each bad record goes to the DLQ with its own
// error (or, a delete of what is gone, succeeds), nothing is written for it,
// and the good ones arrive. With sdk.batch.size 100 the SDK acknowledges a
// batch by its prefix: the good records after a bad one in the same batch
// go to the DLQ with the bad one's error, and are not written.
func TestBadInputTable(t *testing.T) {
	for _, batch := range []struct{ size, delay string }{{"1", "0s"}, {"100", "2s"}} {
		t.Run("sdk.batch.size="+batch.size, func(t *testing.T) {
			runBadInputTable(t, batch.size, batch.delay)
		})
	}
}

func runBadInputTable(t *testing.T, batchSize, batchDelay string) {
	dir := t.TempDir()
	srv := newSim(t)
	addTier(t, srv)
	rows := badRows()
	lines := map[string][]string{}
	goods := map[string]string{} // row name: email
	for i, r := range rows {
		g, email := goodRow(r.pipeline, i)
		goods[g.name] = email
		lines[r.pipeline] = append(lines[r.pipeline], g.line(t, g.name), r.line(t, r.name))
	}
	env := map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL,
		"BATCH_SIZE": batchSize, "BATCH_DELAY": batchDelay,
	}
	for _, p := range []struct{ name, in, dlq string }{{"upserts", "UPSERTS_FILE", "UPSERTS_DLQ"}, {"by-id", "BYID_FILE", "BYID_DLQ"}} {
		env[p.in], env[p.dlq] = filepath.Join(dir, p.name+".jsonl"), filepath.Join(dir, p.name+"-dlq.jsonl")
		if err := os.WriteFile(env[p.in], []byte(strings.Join(lines[p.name], "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := startConduitFile(t, dir, filepath.Join("testdata", "bad-input.yaml"), env)
	var dead map[string]string // row name: the DLQ's error
	c.waitForWhy(t, "every record written or in the DLQ", time.Minute, func() (bool, string) {
		dead = deadRows(t, env["UPSERTS_DLQ"], env["BYID_DLQ"])
		done := 0
		for name, email := range goods {
			if hasContact(srv, email) || dead[name] != "" {
				done++
			}
		}
		for _, r := range rows {
			if _, ok := dead[r.name]; ok || r.want == "" {
				done++
			}
		}
		return done == len(goods)+len(rows), fmt.Sprintf("%d of %d records written or in the DLQs", done, len(goods)+len(rows))
	})
	one := batchSize == "1"
	for _, r := range rows {
		msg, ok := dead[r.name]
		switch {
		case ok && !strings.HasPrefix(msg, "record "):
			t.Errorf("%s: the DLQ's error names no record: %s", r.name, msg)
		case r.want == "" && ok && (one || !isBadRowError(rows, msg)):
			t.Errorf("%s: in the DLQ (%s), want a success", r.name, msg)
		case r.want != "" && !ok:
			t.Errorf("%s: not in the DLQ", r.name)
		case r.want != "" && one && !strings.Contains(msg, "): "+r.want):
			t.Errorf("%s: the DLQ's error is\n%s\nwant one ending in\n%s", r.name, msg, r.want)
		case r.want != "" && !isBadRowError(rows, msg):
			// Batched, a bad record behind another has the first one's error.
			t.Errorf("%s: the DLQ's error is no bad record's: %s", r.name, msg)
		default:
			t.Logf("%s: %s", r.name, msg)
		}
	}
	// A good record is written, or with batches in the DLQ behind a bad
	// one with its error; never both.
	behind := 0
	for name, email := range goods {
		written := hasContact(srv, email)
		msg, inDLQ := dead[name]
		switch {
		case written == inDLQ:
			t.Errorf("%s: written %v, in the DLQ %v", name, written, inDLQ)
		case inDLQ && batchSize == "1":
			t.Errorf("%s: in the DLQ with sdk.batch.size 1: %s", name, msg)
		case inDLQ && !isBadRowError(rows, msg):
			t.Errorf("%s: in the DLQ with an error that is no bad record's: %s", name, msg)
		case inDLQ:
			behind++
		}
	}
	if batchSize != "1" {
		t.Logf("with sdk.batch.size %s, %d of %d good records went to the DLQ behind a bad one", batchSize, behind, len(goods))
	}
	// Nothing was written for a bad record: the account holds the good
	// records written and nothing else.
	for _, o := range srv.Objects("contacts") {
		if _, ok := goodEmail(goods, o.Properties["email"]); !ok || o.Archived {
			t.Errorf("a contact no good record wrote: %v (archived %v)", o.Properties, o.Archived)
		}
	}
}

// isBadRowError reports whether msg is the error of one of the bad rows.
func isBadRowError(rows []badRow, msg string) bool {
	for _, r := range rows {
		if r.want != "" && strings.Contains(msg, "): "+r.want) {
			return true
		}
	}
	return false
}

func goodEmail(goods map[string]string, email string) (string, bool) {
	for name, e := range goods {
		if e == email {
			return name, true
		}
	}
	return "", false
}

// deadRows reads DLQ files: for each record, its row and its error.
func deadRows(t *testing.T, paths ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range paths {
		for _, r := range readRecords(t, path) {
			var failed opencdc.Record
			if err := json.Unmarshal(r.Payload.After.Bytes(), &failed); err != nil {
				t.Fatalf("a DLQ record: %v", err)
			}
			out[failed.Metadata[rowMeta]] = r.Metadata["conduit.dlq.nack.error"]
		}
	}
	return out
}

// hasContact reports whether a live contact has the email.
func hasContact(srv *hubspottest.Server, email string) bool {
	for _, o := range srv.Objects("contacts") {
		if o.Properties["email"] == email && !o.Archived {
			return true
		}
	}
	return false
}

// addTier adds a select property "tier" with the options gold and silver.
func addTier(t *testing.T, srv *hubspottest.Server) {
	t.Helper()
	if err := srv.AddProperty("contacts", hubspottest.PropertyDef{
		Name: "tier", Type: hubspottest.TypeEnumeration, FieldType: "select",
		Options: []hubspottest.PropertyOption{{Label: "Gold", Value: "gold"}, {Label: "Silver", Value: "silver"}},
	}); err != nil {
		t.Fatal(err)
	}
}

// TestBadInputFromAFileToTheDLQ runs examples/file-to-hubspot-dlq.yaml as
// it is, with an input file holding each kind of bad record a file can
// hold, between good ones: the DLQ holds exactly the bad lines, each with
// its own error, and the account exactly the good ones.
func TestBadInputFromAFileToTheDLQ(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	addTier(t, srv)
	bad := map[string]string{ // line: its error's end
		`not JSON at all`:  `payload is not a JSON object: invalid character 'o' in literal null (expecting 'u')`,
		`["a JSON array"]`: `payload is not a JSON object: json: cannot unmarshal array into Go value of type map[string]interface {}`,
		`{"email":"unknown@example.com","favourite_colour":"blue"}`:                     `contacts has no properties favourite_colour`,
		`{"email":"optout@example.com","hs_email_optout":"maybe"}`:                      `property "hs_email_optout": a string cannot be a HubSpot bool property: not true or false`,
		`{"email":"tier@example.com","tier":"platinum"}`:                                `property "tier": "platinum" is not one of the property's options ("gold", "silver")`,
		`{"email":"long@example.com","firstname":"` + strings.Repeat("x", 65537) + `"}`: `property "firstname": the value is 65537 characters long`,
		"{\"email\":\"utf@example.com\",\"city\":\"Z\xfcrich\"}":                        `field "city" of the payload is not valid UTF-8`,
		`{"email":"inf@example.com","annualrevenue":1e400}`:                             `property "annualrevenue": a json.Number cannot be a HubSpot number property: out of the range of numbers HubSpot stores`,
		`{"email":"","firstname":"noemail"}`:                                            `no value for idProperty "email": none in the payload's field "email", and the key "`,
		`{}`:                                                                            `no value for idProperty "email": none in the payload's field "email", and the key "`,
		`{"email":"nested@example.com","city":{"name":"Oslo"}}`:                         `property "city": a map[string]interface {} cannot be a HubSpot string property`,
	}
	var lines []string
	goods := map[string]bool{}
	i := 0
	for _, line := range slices.Sorted(maps.Keys(bad)) {
		for range 2 {
			email := fmt.Sprintf("file-good-%d@example.com", i)
			goods[email] = true
			lines = append(lines, fmt.Sprintf(`{"email":%q,"firstname":"Good"}`, email))
			i++
		}
		lines = append(lines, line)
	}
	in, dlq := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "dlq.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startConduit(t, dir, "file-to-hubspot-dlq.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL, "INPUT_FILE": in, "DLQ_FILE": dlq,
	})
	c.waitForWhy(t, "the good records in HubSpot, the bad ones in the DLQ", time.Minute, func() (bool, string) {
		n, dead := len(srv.Objects("contacts")), len(readRecords(t, dlq))
		return n == len(goods) && dead == len(bad), fmt.Sprintf("%d contacts, %d in the DLQ", n, dead)
	})
	for _, r := range readRecords(t, dlq) {
		var failed opencdc.Record
		if err := json.Unmarshal(r.Payload.After.Bytes(), &failed); err != nil {
			t.Fatalf("a DLQ record: %v", err)
		}
		line := string(failed.Payload.After.Bytes())
		msg := r.Metadata["conduit.dlq.nack.error"]
		want, ok := bad[line]
		switch {
		case !ok:
			t.Errorf("a line in the DLQ that is not bad, or twice: %.80s", line)
		case !strings.HasPrefix(msg, "record 0 (position ") || !strings.Contains(msg, "): "+want):
			t.Errorf("the DLQ's error of %.80s is\n%.300s\nwant one with\n%s", line, msg, want)
		default:
			t.Logf("%.60s: %.300s", line, msg)
		}
		delete(bad, line)
	}
	for line := range bad {
		t.Errorf("not in the DLQ: %.80s", line)
	}
	for _, o := range srv.Objects("contacts") {
		if !goods[o.Properties["email"]] || o.Properties["firstname"] != "Good" || o.Archived {
			t.Errorf("a contact no good line wrote: %.200v", o.Properties)
		}
	}
}
