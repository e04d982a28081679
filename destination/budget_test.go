package destination_test

import (
	"context"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestWritesBelowTheDailyReserve: the daily reserve slows sources only. A
// destination with 5 % of the account's daily quota left writes every
// record: what it writes is the pipeline's data, and holding it back would
// only move the cost to later.
func TestWritesBelowTheDailyReserve(t *testing.T) {
	is := is.New(t)
	const daily = 1000
	srv := newSim(t, hubspottest.WithDailyLimit(daily))
	srv.SpendDailyQuota(daily * 95 / 100)
	d := openDestination(t, srv, nil)

	n, err := d.Write(context.Background(), creates(40, 0))
	is.NoErr(err)
	is.Equal(n, 40)
	is.Equal(len(live(srv)), 40)
}
