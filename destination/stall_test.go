package destination_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
	"go.uber.org/goleak"
)

// TestWriteNeverStalls: whatever HubSpot does, Write returns within
// maxRetries retries, with an error unless the fault passed; a create that
// may have reached HubSpot is sent once, then looked up (by its email),
// which the fault fails too.
func TestWriteNeverStalls(t *testing.T) {
	const maxRetries = 2
	create := []opencdc.Record{rec(opencdc.OperationCreate, "c", nil, opencdc.StructuredData{"email": "c@example.com"})}
	update := []opencdc.Record{rec(opencdc.OperationUpdate, "u", id("1"), opencdc.StructuredData{"city": "x"})}
	tests := []struct {
		name  string
		fault hubspottest.Fault
		recs  []opencdc.Record
		ok    bool
		calls int
	}{
		{"5xx on update: retried", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 100}, update, false, maxRetries + 1},
		{"5xx on create: sent once", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 100}, create, false, 1 + maxRetries + 1},
		{"429 storm on create: retried", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 429, Times: 100}, create, false, maxRetries + 1},
		{"reset on create: sent once", hubspottest.Fault{Kind: hubspottest.FaultReset, Times: 100}, create, false, 1 + maxRetries + 1},
		{"truncated answer to a create: sent once", hubspottest.Fault{Kind: hubspottest.FaultTruncate, Times: 100}, create, false, 1 + maxRetries + 1},
		{"HTML 502 on update: retried", hubspottest.Fault{Kind: hubspottest.FaultHTML, Times: 100}, update, false, maxRetries + 1},
		{"one 5xx on update", hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 500, Times: 1}, update, true, 2},
		{"slow answers", hubspottest.Fault{Kind: hubspottest.FaultDelay, Delay: 100 * time.Millisecond, Times: 1}, create, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			_, err := srv.Create("contacts", map[string]string{"email": "one@example.com"})
			is.NoErr(err)
			d := openDestination(t, srv, map[string]string{"maxRetries": "2"})
			srv.ResetCalls()
			srv.InjectFault(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			n, err := d.Write(ctx, tt.recs)
			is.True(ctx.Err() == nil) // an answer, not a stall until the deadline
			is.Equal(err == nil, tt.ok)
			is.Equal(n == len(tt.recs), tt.ok)
			is.Equal(srv.TotalCalls(), tt.calls)
		})
	}
}

func TestDestinationLifecycle(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	is.NoErr(destination.NewDestination().Teardown(context.Background()))
	is.NoErr(destination.New().Teardown(context.Background()))

	d := openDestination(t, srv, nil)
	srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultDelay, Delay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := d.Write(ctx, creates(1, 0))
		done <- err
	}()
	select {
	case err := <-done:
		is.True(errors.Is(err, context.Canceled))
	case <-time.After(5 * time.Second):
		t.Fatal("Write did not return after its context was cancelled")
	}
	is.NoErr(d.Teardown(context.Background()))
}

// TestTraceLogsHoldNoToken writes with logging at trace level, failing
// requests included, and looks for the token in everything logged.
func TestTraceLogsHoldNoToken(t *testing.T) {
	is := is.New(t)
	var buf bytes.Buffer
	ctx := zerolog.New(&buf).Level(zerolog.TraceLevel).WithContext(context.Background())
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"maxRetries": "1"})
	srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 1})
	n, err := d.Write(ctx, []opencdc.Record{rec(opencdc.OperationUpdate, "u", id("999"), opencdc.StructuredData{"city": "x"})})
	is.Equal(n, 0)
	is.True(err != nil)
	_, err = d.Write(ctx, creates(3, 0))
	is.NoErr(err)
	logged := buf.String()
	is.True(strings.Contains(logged, "hubspot request"))
	is.True(strings.Contains(logged, `"status":503`))
	is.True(!strings.Contains(logged, srv.Token))
}
