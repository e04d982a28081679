package source_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/matryer/is"
	"go.uber.org/goleak"
)

// returnsWithin fails the test if f does not return within d: a bound on
// a hang, not a speed check.
func returnsWithin(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still running after %s", d)
		return nil
	}
}

func TestTeardownWithoutOpen(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	is := is.New(t)
	is.NoErr(source.NewSource().Teardown(context.Background()))
	is.NoErr(source.New().Teardown(context.Background()))
}

func TestTeardownWhileReadWaits(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	src, err := tryOpen(e, map[string]string{"pollingPeriod": "1h", "snapshot": "false"}, nil)
	is.NoErr(err)
	read := make(chan error, 1)
	go func() {
		_, err := src.ReadN(context.Background(), 10) // caught up at once: waits an hour
		read <- err
	}()
	time.Sleep(50 * time.Millisecond)
	is.NoErr(returnsWithin(t, 5*time.Second, func() error { return src.Teardown(context.Background()) }))
	err = returnsWithin(t, 5*time.Second, func() error { return <-read })
	is.True(errors.Is(err, context.Canceled))
}

func TestCancelMidRequest(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	src, err := tryOpen(e, nil, nil)
	is.NoErr(err)
	e.srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultDelay, Delay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	err = returnsWithin(t, 5*time.Second, func() error {
		_, err := src.ReadN(ctx, 10)
		return err
	})
	is.True(errors.Is(err, context.Canceled))
	is.NoErr(src.Teardown(context.Background()))
}
