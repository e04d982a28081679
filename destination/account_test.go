package destination_test

import (
	"context"
	"fmt"
	"testing"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/sandbox"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

// TestAccountWrites writes to a live account (internal/testkit/sandbox: the
// simulator, or under make test-sandbox a real account, archiving what it
// created). It checks the result by reading the objects back over HTTP.
func TestAccountWrites(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	acc := sandbox.Open(t, []string{"contacts"})
	baseURL, token, client := acc.BaseURL, acc.Token, acc.Client
	email := func(i int) string { return acc.Email(fmt.Sprintf("dst-%d", i)) }
	// The destination made the objects; their ids are looked up at the end,
	// whether the test passed or not.
	var ids []string
	acc.Archive(t, "contacts", &ids)
	t.Cleanup(func() {
		res, err := client.Objects.BatchRead(context.Background(), "contacts", hubspot.BatchReadRequest{IDs: []string{email(0), email(1), email(2)}, IDProperty: "email"})
		if err != nil {
			t.Errorf("clean up: find the contacts of %s: %v", acc.Run, err)
			return
		}
		for _, o := range res.Results {
			ids = append(ids, o.ID)
		}
	})

	d := destination.NewDestination()
	is.NoErr(sdk.Util.ParseConfig(ctx, config.Config{"accessToken": token, "baseURL": baseURL, "resource": "contacts", "idProperty": "email"},
		d.Config(), connector.Connector.NewSpecification().DestinationParams))
	is.NoErr(d.Open(ctx))
	defer func() { _ = d.Teardown(ctx) }()

	recs := []opencdc.Record{
		rec(opencdc.OperationCreate, "a1", nil, opencdc.StructuredData{"email": email(0), "firstname": "Zero"}),
		rec(opencdc.OperationCreate, "a2", nil, opencdc.StructuredData{"email": email(1), "firstname": "One"}),
		rec(opencdc.OperationCreate, "a3", nil, opencdc.StructuredData{"email": email(2), "firstname": "Two"}),
		rec(opencdc.OperationUpdate, "a4", opencdc.StructuredData{"email": email(1)}, opencdc.StructuredData{"firstname": "Uno"}),
		rec(opencdc.OperationDelete, "a5", opencdc.StructuredData{"email": email(2)}, nil),
	}
	n, err := d.Write(ctx, recs)
	is.NoErr(err)
	is.Equal(n, len(recs))

	res, err := client.Objects.BatchRead(ctx, "contacts", hubspot.BatchReadRequest{IDs: []string{email(0), email(1), email(2)}, IDProperty: "email", Properties: []string{"email", "firstname"}})
	is.NoErr(err)
	names := map[string]string{}
	for _, o := range res.Results {
		e, _ := o.Properties.Get("email")
		names[e], _ = o.Properties.Get("firstname")
	}
	is.Equal(names, map[string]string{email(0): "Zero", email(1): "Uno"})
}
