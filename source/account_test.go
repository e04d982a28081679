package source_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/sandbox"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

// TestAccountCDC runs the source against a live account (internal/testkit/sandbox:
// the simulator on the wall clock, or under make test-sandbox a real
// account): objects this test creates, changes and archives come out as
// create, update and delete records. Other activity in a real account is
// left out of the check, and the test archives what it created.
func TestAccountCDC(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	acc := sandbox.Open(t, []string{"contacts"}, hubspottest.WithIndexLag(2*time.Second))

	cfg := config.Config{
		"accessToken": acc.Token, "baseURL": acc.BaseURL, "resource": "contacts",
		"snapshot": "false", "pollingPeriod": "200ms", "deletesPollingPeriod": "1s", "lookbackWindow": "10s",
	}
	src := source.NewSource()
	is.NoErr(sdk.Util.ParseConfig(ctx, cfg, src.Config(), connector.Connector.NewSpecification().SourceParams))
	is.NoErr(src.Open(ctx, nil))
	defer func() { _ = src.Teardown(ctx) }()

	var ids []string
	acc.Archive(t, "contacts", &ids)
	for i := range 3 {
		o, err := acc.Client.Objects.Create(ctx, "contacts", hubspot.Properties{
			"email": hubspot.String(acc.Email(fmt.Sprintf("cdc-%d", i))),
		})
		is.NoErr(err)
		ids = append(ids, o.ID)
	}
	_, err := acc.Client.Objects.Update(ctx, "contacts", ids[1], hubspot.Properties{"firstname": hubspot.String("Changed")})
	is.NoErr(err)
	is.NoErr(acc.Client.Objects.Archive(ctx, "contacts", ids[2]))

	ours := map[string]bool{ids[0]: true, ids[1]: true, ids[2]: true}
	got := map[string][]opencdc.Operation{}
	final := map[string]opencdc.StructuredData{}
	limit := 30 * time.Second
	if acc.Real {
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
	is.Equal(final[ids[0]]["email"], acc.Email("cdc-0"))
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
