package destination_test

import (
	"context"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/matryer/is"
)

// TestFeedbackSubmissionsRefused: feedback submissions, which HubSpot's
// API only reads, are refused under either name, naming the resource as
// read-only: at Configure, and at an Open that came without it, before
// any request.
func TestFeedbackSubmissionsRefused(t *testing.T) {
	srv := newSim(t)
	for _, name := range []string{"crm.feedbackSubmissions", "feedback_submissions"} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			srv.ResetCalls()
			d, err := tryOpenDestination(srv, map[string]string{"resource": name})
			is.True(d == nil) // refused at Configure
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), "crm.feedbackSubmissions (feedback_submissions) is read-only"))

			unconfigured := destination.NewDestination()
			cfg := unconfigured.Config().(*destination.Config)
			cfg.Resource, cfg.AccessToken, cfg.BaseURL = name, srv.Token, srv.URL
			err = unconfigured.Open(context.Background())
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), `"resource"`))
			is.True(strings.Contains(err.Error(), "is read-only"))
			is.NoErr(unconfigured.Teardown(context.Background()))
			is.Equal(srv.TotalCalls(), 0)
		})
	}
}
