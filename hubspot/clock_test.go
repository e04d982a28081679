package hubspot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// handlerTransport serves a client's requests with a handler in the
// client's own goroutine, with no network in between, so that a synctest
// bubble sees each of the client's waits as the only thing left to do.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context()) // a handler's mux writes on its request
	if r.Body == nil {
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// TestClientWaitsOnItsClock: a refused request is retried when the client's
// clock has passed the wait, not a moment before, and no real time passes.
func TestClientWaitsOnItsClock(t *testing.T) {
	// The simulator starts outside the bubble: its listener's goroutine
	// waits on the network, which synctest does not count as blocked.
	srv := newSim(t, hubspottest.WithoutRateLimits())
	id, err := srv.Create("contacts", map[string]string{"email": "wait@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(hubspottest.Fault{Method: http.MethodGet, Path: "/crm/objects/2026-09/contacts/*",
		Status: http.StatusTooManyRequests, RetryAfter: 3 * time.Second})

	synctest.Test(t, func(t *testing.T) {
		is := is.New(t)
		clock := hubspottest.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL("https://api.hubapi.com"),
			hubspot.WithHTTPClient(&http.Client{Transport: handlerTransport{srv.Handler()}}),
			hubspot.WithClock(clock), hubspot.WithoutRateLimit())
		is.NoErr(err)
		defer c.Close()
		done := make(chan error, 1)
		go func() {
			_, err := c.Objects.Get(context.Background(), "contacts", id, hubspot.GetOptions{})
			done <- err
		}()

		synctest.Wait() // the client got its 429 and waits on the clock
		is.Equal(srv.TotalCalls(), 1)
		waits := clock.Waits()
		is.Equal(len(waits), 1)
		is.True(waits[0] >= 3*time.Second) // Retry-After is honoured
		clock.Advance(waits[0] - time.Millisecond)
		synctest.Wait()
		is.Equal(srv.TotalCalls(), 1) // not yet
		clock.Advance(time.Millisecond)
		synctest.Wait()
		is.Equal(srv.TotalCalls(), 2)
		select {
		case err := <-done:
			is.NoErr(err)
		default:
			t.Fatal("the retry did not finish the call")
		}
	})
}
