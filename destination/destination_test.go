package destination_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

func newSim(t testing.TB, opts ...hubspottest.Option) *hubspottest.Server {
	t.Helper()
	srv, err := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithoutRateLimits(), hubspottest.WithRandomSeed(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// openDestination configures a destination the way Conduit does, through
// the connector's specification, and opens it.
func openDestination(t testing.TB, srv *hubspottest.Server, settings map[string]string, opts ...destination.Option) *destination.Destination {
	t.Helper()
	d, err := tryOpenDestination(srv, settings, opts...)
	if d != nil {
		t.Cleanup(func() { _ = d.Teardown(context.Background()) })
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tryOpenDestination is openDestination that returns Open's error; the
// destination it returns, after Configure, needs a Teardown.
func tryOpenDestination(srv *hubspottest.Server, settings map[string]string, opts ...destination.Option) (*destination.Destination, error) {
	cfg := config.Config{"accessToken": srv.Token, "baseURL": srv.URL, "resource": "contacts"}
	maps.Copy(cfg, settings)
	opts = append([]destination.Option{destination.WithClientOptions(hubspot.WithoutRateLimit(), hubspot.WithBackoff(time.Millisecond, 10*time.Millisecond))}, opts...)
	d := destination.NewDestination(opts...)
	ctx := context.Background()
	if err := sdk.Util.ParseConfig(ctx, cfg, d.Config(), connector.Connector.NewSpecification().DestinationParams); err != nil {
		return nil, fmt.Errorf("configure: %w", err)
	}
	if err := d.Open(ctx); err != nil {
		return d, fmt.Errorf("open: %w", err)
	}
	return d, nil
}

func rec(op opencdc.Operation, pos string, key opencdc.Data, payload opencdc.Data) opencdc.Record {
	r := opencdc.Record{Position: opencdc.Position(pos), Operation: op, Key: key, Metadata: opencdc.Metadata{}}
	if op == opencdc.OperationDelete {
		r.Payload.Before = payload
	} else {
		r.Payload.After = payload
	}
	return r
}

func id(v string) opencdc.Data { return opencdc.StructuredData{"id": v} }

// live returns the contacts that are not archived, by id.
func live(srv *hubspottest.Server) map[string]hubspottest.Object {
	out := map[string]hubspottest.Object{}
	for _, o := range srv.Objects("contacts") {
		if !o.Archived {
			out[o.ID] = o
		}
	}
	return out
}

func creates(n int, from int) []opencdc.Record {
	recs := make([]opencdc.Record, n)
	for i := range recs {
		k := from + i
		recs[i] = rec(opencdc.OperationCreate, fmt.Sprintf("p%d", k), nil, opencdc.StructuredData{
			"email": fmt.Sprintf("w%d@example.com", k), "firstname": fmt.Sprintf("F%d", k),
		})
	}
	return recs
}

func TestCreatesUpdatesDeletesInBatches(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, nil)
	srv.ResetCalls()

	n, err := d.Write(ctx, creates(1000, 0))
	is.NoErr(err)
	is.Equal(n, 1000)
	is.Equal(srv.Calls(), map[string]int{"POST /crm/objects/2026-09/contacts/batch/create": 10})
	objs := live(srv)
	is.Equal(len(objs), 1000)
	byEmail := map[string]hubspottest.Object{}
	for _, o := range objs {
		byEmail[o.Properties["email"]] = o
	}
	for i := range 1000 {
		o, ok := byEmail[fmt.Sprintf("w%d@example.com", i)]
		is.True(ok)
		is.Equal(o.Properties["firstname"], fmt.Sprintf("F%d", i))
	}

	// Updates of every object, then deletes of 300, keyed by HubSpot id.
	var recs []opencdc.Record
	for i := range 1000 {
		o := byEmail[fmt.Sprintf("w%d@example.com", i)]
		recs = append(recs, rec(opencdc.OperationUpdate, fmt.Sprintf("u%d", i), id(o.ID), opencdc.StructuredData{"lastname": fmt.Sprintf("L%d", i), "firstname": nil}))
	}
	for i := range 300 {
		o := byEmail[fmt.Sprintf("w%d@example.com", i)]
		recs = append(recs, rec(opencdc.OperationDelete, fmt.Sprintf("d%d", i), id(o.ID), nil))
	}
	srv.ResetCalls()
	n, err = d.Write(ctx, recs)
	is.NoErr(err)
	is.Equal(n, 1300)
	is.Equal(srv.Calls(), map[string]int{"POST /crm/objects/2026-09/contacts/batch/update": 10, "POST /crm/objects/2026-09/contacts/batch/archive": 3})
	objs = live(srv)
	is.Equal(len(objs), 700)
	for i := 300; i < 1000; i++ {
		o := objs[byEmail[fmt.Sprintf("w%d@example.com", i)].ID]
		is.Equal(o.Properties["lastname"], fmt.Sprintf("L%d", i))
		is.Equal(o.Properties["firstname"], "") // null cleared it
	}
}

func TestUpsertIsIdempotent(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"idProperty": "email"})
	recs := creates(1000, 0)
	for range 2 {
		n, err := d.Write(ctx, recs)
		is.NoErr(err)
		is.Equal(n, 1000)
	}
	is.Equal(len(live(srv)), 1000)
	is.Equal(srv.Calls()["POST /crm/objects/2026-09/contacts/batch/upsert"], 20)

	// A delete keyed on the email finds the object by it.
	n, err := d.Write(ctx, []opencdc.Record{rec(opencdc.OperationDelete, "d", opencdc.RawData(`{"email":"w5@example.com"}`), nil)})
	is.NoErr(err)
	is.Equal(n, 1)
	is.Equal(len(live(srv)), 999)
}

func TestOneKeyInOneWrite(t *testing.T) {
	for _, settings := range []map[string]string{nil, {"idProperty": "email"}} {
		t.Run(fmt.Sprint(settings), func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, settings)
			key := opencdc.StructuredData{"id": "src-1"}
			recs := []opencdc.Record{
				rec(opencdc.OperationCreate, "1", key, opencdc.StructuredData{"email": "one@example.com", "firstname": "A"}),
				rec(opencdc.OperationUpdate, "2", key, opencdc.StructuredData{"email": "one@example.com", "firstname": "B"}),
				rec(opencdc.OperationDelete, "3", key, opencdc.StructuredData{"email": "one@example.com"}),
			}
			n, err := d.Write(context.Background(), recs)
			is.NoErr(err)
			is.Equal(n, 3)
			objs := srv.Objects("contacts")
			is.Equal(len(objs), 1)
			is.True(objs[0].Archived)
			is.Equal(objs[0].Properties["firstname"], "B") // the update came before the delete
		})
	}
}

// TestPartialFailure runs against HubSpot's 207 answers, which name the
// failed inputs: contacts answer so in some accounts, other types in all.
func TestPartialFailure(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithPartialContactBatches())
	_, err := srv.Create("contacts", map[string]string{"email": "w2@example.com"})
	is.NoErr(err)
	d := openDestination(t, srv, nil)
	recs := creates(5, 0) // the third one's email is taken: a 409 inside a 207

	n, err := d.Write(ctx, recs)
	is.Equal(n, 2)
	is.True(err != nil)
	msg := err.Error()
	is.True(strings.Contains(msg, "position p2"))
	is.True(strings.Contains(msg, "CONFLICT"))
	is.True(strings.Contains(msg, "already exists"))
	is.Equal(len(live(srv)), 5) // the one before, and four of ours

	// Conduit delivers the rest again: nothing is created twice.
	srv.ResetCalls()
	n, err = d.Write(ctx, recs[2:])
	is.Equal(n, 0)
	is.True(err != nil)
	is.Equal(len(live(srv)), 5)
	n, err = d.Write(ctx, recs[3:])
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(len(live(srv)), 5)
	is.Equal(srv.Calls()["POST /crm/objects/2026-09/contacts/batch/create"], 1) // only the failing one again
}

func TestReadOnlyProperties(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	r := rec(opencdc.OperationCreate, "ro", nil, opencdc.StructuredData{
		"email": "ro@example.com", "createdate": "2020-01-01T00:00:00.000Z", "hs_object_id": "9",
		"id": "9", "createdAt": "x", "updatedAt": "y", // the source's own fields are not properties
	})

	d := openDestination(t, srv, nil)
	n, err := d.Write(ctx, []opencdc.Record{r})
	is.Equal(n, 0)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "read-only properties createdate, hs_object_id"))
	is.True(strings.Contains(err.Error(), "position ro"))
	is.Equal(srv.TotalCalls(), 2) // the account details and the properties read at Open; nothing was sent

	d = openDestination(t, srv, map[string]string{"readOnlyProperties": "skip"})
	n, err = d.Write(ctx, []opencdc.Record{r})
	is.NoErr(err)
	is.Equal(n, 1)
	o := onlyContact(t, srv)
	is.Equal(o.Properties["email"], "ro@example.com")
	is.True(o.Properties["createdate"] != "2020-01-01T00:00:00.000Z")
}

// onlyContact returns the one live contact, failing when there is not one.
func onlyContact(t *testing.T, srv *hubspottest.Server) hubspottest.Object {
	t.Helper()
	objs := live(srv)
	if len(objs) != 1 {
		t.Fatalf("%d live contacts, want 1", len(objs))
	}
	for _, o := range objs {
		return o
	}
	return hubspottest.Object{}
}

func TestValuesBecomeHubSpotStrings(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"idProperty": "email"})
	birth := time.Date(1990, 4, 5, 0, 0, 0, 0, time.UTC)
	recs := []opencdc.Record{
		rec(opencdc.OperationSnapshot, "flat", nil, opencdc.StructuredData{
			"email": "flat@example.com", "annualrevenue": 1234.5, "jobtitle": 1e21, "company": 42,
			"hs_email_optout": true, "date_of_birth": birth,
		}),
		rec(opencdc.OperationCreate, "shaped", nil, opencdc.StructuredData{
			"id": "77", "properties": map[string]any{"email": "shaped@example.com", "annualrevenue": int64(7), "hs_email_optout": false},
		}),
		rec(opencdc.OperationCreate, "raw", nil, opencdc.RawData(`{"email":"raw@example.com","jobtitle":1.5e3,"company":12345678901234567890,"hs_email_optout":true}`)),
		rec(opencdc.OperationCreate, "rawshaped", nil, opencdc.RawData(`{"properties":{"email":"rawshaped@example.com","city":"Oslo"}}`)),
	}
	n, err := d.Write(ctx, recs)
	is.NoErr(err)
	is.Equal(n, 4)
	byEmail := map[string]map[string]string{}
	for _, o := range live(srv) {
		byEmail[o.Properties["email"]] = o.Properties
	}
	want := map[string]map[string]string{
		"flat@example.com":      {"annualrevenue": "1234.5", "jobtitle": "1000000000000000000000", "company": "42", "hs_email_optout": "true", "date_of_birth": "1990-04-05"},
		"shaped@example.com":    {"annualrevenue": "7", "hs_email_optout": "false"},
		"raw@example.com":       {"jobtitle": "1500", "company": "12345678901234567890", "hs_email_optout": "true"},
		"rawshaped@example.com": {"city": "Oslo"},
	}
	for email, props := range want {
		got, ok := byEmail[email]
		is.True(ok)
		for k, v := range props {
			is.Equal(got[k], v)
		}
	}
}

func TestBadRecords(t *testing.T) {
	srv := newSim(t)
	d := openDestination(t, srv, nil)
	tests := []struct {
		name string
		rec  opencdc.Record
		want string
	}{
		{"unknown property", rec(opencdc.OperationCreate, "p1", nil, opencdc.StructuredData{"email": "a@b.c", "favourite_colour": "blue"}), "no properties favourite_colour"},
		{"update without key", rec(opencdc.OperationUpdate, "p2", nil, opencdc.StructuredData{"city": "x"}), "position p2"},
		{"delete without key", rec(opencdc.OperationDelete, "p3", nil, nil), "needs the object's id"},
		{"payload not JSON", rec(opencdc.OperationCreate, "p4", nil, opencdc.RawData("email=a")), "not a JSON object"},
		{"value a map", rec(opencdc.OperationCreate, "p5", nil, opencdc.StructuredData{"city": map[string]any{"a": 1}}), `property "city"`},
		{"key with two fields", rec(opencdc.OperationUpdate, "p6", opencdc.StructuredData{"a": "1", "b": "2"}, opencdc.StructuredData{}), "want one field"},
		{"missing object", rec(opencdc.OperationUpdate, "p7", id("999999"), opencdc.StructuredData{"city": "x"}), "OBJECT_NOT_FOUND"},
		{"bad number", rec(opencdc.OperationCreate, "p8", nil, opencdc.StructuredData{"annualrevenue": "lots"}), `property "annualrevenue": a string cannot be a HubSpot number property`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			n, err := d.Write(context.Background(), []opencdc.Record{tt.rec})
			is.Equal(n, 0)
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), tt.want))
			is.True(!strings.Contains(err.Error(), srv.Token))
		})
	}
	// Keys: raw bytes and numbers work.
	is := is.New(t)
	o, err := srv.Create("contacts", map[string]string{"email": "k@example.com"})
	is.NoErr(err)
	for _, key := range []opencdc.Data{opencdc.RawData(o), opencdc.StructuredData{"hs_object_id": mustAtoi(t, o)}, opencdc.RawData(`{"id":` + o + `}`)} {
		n, err := d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationUpdate, "k", key, opencdc.StructuredData{"city": "Keyed"})})
		is.NoErr(err)
		is.Equal(n, 1)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenChecks(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	for settings, want := range map[[2]string]string{
		{"accessToken", "pat-na1-wrong"}: "refused the access token",
		{"idProperty", "city"}:           `"idProperty": contacts has no property "city" with unique values`,
		{"idProperty", "emial"}:          `"idProperty": contacts has no property "emial" (did you mean "email"?)`,
	} {
		cfg := config.Config{"accessToken": srv.Token, "baseURL": srv.URL, "resource": "contacts", settings[0]: settings[1]}
		d := destination.NewDestination()
		is.NoErr(sdk.Util.ParseConfig(context.Background(), cfg, d.Config(), connector.Connector.NewSpecification().DestinationParams))
		err := d.Open(context.Background())
		is.True(err != nil)
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s=%s: Open: %v\nwant it to hold %s", settings[0], settings[1], err, want)
		}
		is.True(!strings.Contains(err.Error(), "pat-na1-wrong"))
	}
}

// TestHubSpotToHubSpot moves contacts from one simulated account to another
// through our source and destination, snapshot and changes.
func TestHubSpotToHubSpot(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	from, to := newSim(t), newSim(t)
	ids, err := from.Seed("contacts", 120, nil)
	is.NoErr(err)
	time.Sleep(2 * time.Millisecond)

	src := source.NewSource(source.WithClientOptions(hubspot.WithoutRateLimit()))
	is.NoErr(sdk.Util.ParseConfig(ctx, config.Config{
		"accessToken": from.Token, "baseURL": from.URL, "resource": "contacts", "pollingPeriod": "5ms",
		"deletesPollingPeriod": "5ms", "extraProperties": "city",
	}, src.Config(), connector.Connector.NewSpecification().SourceParams))
	is.NoErr(src.Open(ctx, nil))
	defer func() { _ = src.Teardown(ctx) }()
	dst := decoded.Destination(openDestination(t, to, map[string]string{"readOnlyProperties": "skip", "idProperty": "email"}))

	move := func(until func() bool) {
		deadline := time.Now().Add(time.Minute)
		for !until() {
			if time.Now().After(deadline) {
				t.Fatal("the records did not all arrive within a minute")
			}
			rctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			recs, err := src.ReadN(rctx, 100)
			cancel()
			if err != nil {
				continue
			}
			n, err := dst.Write(ctx, recs)
			is.NoErr(err)
			is.Equal(n, len(recs))
		}
	}
	same := func() bool {
		a, b := live(from), live(to)
		if len(a) != len(b) {
			return false
		}
		byEmail := map[string]hubspottest.Object{}
		for _, o := range b {
			byEmail[o.Properties["email"]] = o
		}
		for _, o := range a {
			c, ok := byEmail[o.Properties["email"]]
			if !ok || c.Properties["firstname"] != o.Properties["firstname"] || c.Properties["city"] != o.Properties["city"] {
				return false
			}
		}
		return true
	}
	move(same)
	is.NoErr(from.Update("contacts", ids[3], map[string]string{"city": "Moved"}))
	is.NoErr(from.Archive("contacts", ids[4]))
	_, err = from.Create("contacts", map[string]string{"email": "late@example.com", "firstname": "Late"})
	is.NoErr(err)
	move(same)
}

// TestCallsPerThousandRecords guards batching: 1,000 records of each
// operation cost at most 10.2 HubSpot calls (the floor is 10), deletes keyed
// on idProperty twice that.
func TestCallsPerThousandRecords(t *testing.T) {
	for _, op := range []opencdc.Operation{opencdc.OperationCreate, opencdc.OperationSnapshot, opencdc.OperationUpdate, opencdc.OperationDelete} {
		for _, settings := range []map[string]string{nil, {"idProperty": "email"}} {
			t.Run(fmt.Sprint(op, settings), func(t *testing.T) {
				is := is.New(t)
				srv := newSim(t)
				ids, err := srv.Seed("contacts", 1000, func(i int) map[string]string {
					return map[string]string{"email": fmt.Sprintf("w%d@example.com", i)}
				})
				is.NoErr(err)
				d := openDestination(t, srv, settings)
				recs := creates(1000, 0)
				for i := range recs {
					recs[i].Operation = op
					recs[i].Key = id(ids[i])
					if settings != nil {
						recs[i].Key = opencdc.RawData(fmt.Sprintf("w%d@example.com", i))
					}
					if op == opencdc.OperationDelete {
						recs[i].Payload.Before, recs[i].Payload.After = recs[i].Payload.After, nil
					}
				}
				if op != opencdc.OperationUpdate && op != opencdc.OperationDelete && settings == nil {
					recs = creates(1000, 5000) // plain creates: new emails
					for i := range recs {
						recs[i].Operation = op
					}
				}
				srv.ResetCalls()
				for lo := 0; lo < len(recs); lo += 100 { // as Conduit hands them over with sdk.batch.size: 100
					n, err := d.Write(context.Background(), recs[lo:lo+100])
					is.NoErr(err)
					is.Equal(n, 100)
				}
				limit := 10.2
				if settings != nil && op == opencdc.OperationDelete {
					limit *= 2 // each batch archive first reads the ids by email
				}
				is.True(float64(srv.TotalCalls()) <= limit)
			})
		}
	}
}
