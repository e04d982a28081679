package source_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

// account is a HubSpot to test against: a real account when
// HUBSPOT_ACCESS_TOKEN is set, else the simulator on the wall clock. Either
// way the test talks HTTP to it.
type account struct {
	baseURL, token string
	client         *hubspot.Client
	real           bool
}

func newAccount(t *testing.T) account {
	t.Helper()
	if token := os.Getenv("HUBSPOT_ACCESS_TOKEN"); token != "" {
		c, err := hubspot.NewClient(token)
		if err != nil {
			t.Fatal(err)
		}
		return account{baseURL: hubspot.DefaultBaseURL, token: token, client: c, real: true}
	}
	srv, err := hubspottest.NewServer(hubspottest.WithIndexLag(2 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return account{baseURL: srv.URL, token: srv.Token, client: c}
}

// TestAccountCDC runs the source against a live account: objects this test
// creates, changes and archives come out as create, update and delete
// records. Other activity in a real account is left out of the check, and
// the test archives what it created.
func TestAccountCDC(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	acc := newAccount(t)
	run := fmt.Sprintf("%d", time.Now().UnixNano())

	cfg := config.Config{
		"accessToken": acc.token, "baseURL": acc.baseURL, "resource": "contacts",
		"snapshot": "false", "pollingPeriod": "200ms", "deletesPollingPeriod": "1s", "lookbackWindow": "10s",
	}
	src := source.NewSource()
	is.NoErr(sdk.Util.ParseConfig(ctx, cfg, src.Config(), connector.Connector.NewSpecification().SourceParams))
	is.NoErr(src.Open(ctx, nil))
	defer func() { _ = src.Teardown(ctx) }()

	var ids []string
	t.Cleanup(func() { _ = acc.client.Objects.BatchArchive(context.Background(), "contacts", ids) })
	for i := range 3 {
		o, err := acc.client.Objects.Create(ctx, "contacts", hubspot.Properties{
			"email": hubspot.String(fmt.Sprintf("cdc-%s-%d@example.com", run, i)),
		})
		is.NoErr(err)
		ids = append(ids, o.ID)
	}
	_, err := acc.client.Objects.Update(ctx, "contacts", ids[1], hubspot.Properties{"firstname": hubspot.String("Changed")})
	is.NoErr(err)
	is.NoErr(acc.client.Objects.Archive(ctx, "contacts", ids[2]))

	ours := map[string]bool{ids[0]: true, ids[1]: true, ids[2]: true}
	got := map[string][]opencdc.Operation{}
	final := map[string]opencdc.StructuredData{}
	limit := 30 * time.Second
	if acc.real {
		limit = 5 * time.Minute // HubSpot's search index can lag by minutes
	}
	done := func() bool {
		return len(got[ids[0]]) > 0 && fmt.Sprint(final[ids[1]]["firstname"]) == "Changed" &&
			len(got[ids[2]]) > 0 && got[ids[2]][len(got[ids[2]])-1] == opencdc.OperationDelete
	}
	readCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for !done() {
		recs, err := src.ReadN(readCtx, 100)
		if err != nil {
			t.Fatalf("read: %v (records so far: %v; last payloads: %v)", err, got, final)
		}
		for _, r := range recs {
			if id := recordID(t, r); ours[id] {
				got[id] = append(got[id], r.Operation)
				final[id] = payload(t, r)
			}
		}
	}
	is.Equal(got[ids[0]], []opencdc.Operation{opencdc.OperationCreate})
	is.Equal(got[ids[1]][0], opencdc.OperationCreate)
	is.Equal(final[ids[0]]["email"], fmt.Sprintf("cdc-%s-0@example.com", run))
	is.Equal(countOf(got[ids[2]], opencdc.OperationDelete), 1)
}

func countOf(ops []opencdc.Operation, op opencdc.Operation) int {
	n := 0
	for _, o := range ops {
		if o == op {
			n++
		}
	}
	return n
}
