package source_test

import (
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestEarlierConnectorResourcesNotReadYet: the earlier Conduit HubSpot
// connector's CMS resources not served yet are recognised, and a
// source configured with one fails before it reads, naming the parameter
// and saying what is missing, not as an unknown name.
func TestEarlierConnectorResourcesNotReadYet(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ resource, want string }{
		{"cms.hubdb.tables", `resource "cms.hubdb.tables" (hubdb_tables) is not supported yet`},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			is := is.New(t)
			e.srv.ResetCalls()
			_, err := tryOpen(e, map[string]string{"resource": tt.resource}, nil)
			is.True(err != nil)
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "configure: ") || strings.Contains(msg, "unknown resource") {
				t.Fatalf("open with resource %q: %v, want a configure error with %q", tt.resource, err, tt.want)
			}
			is.Equal(e.srv.TotalCalls(), 0) // refused before any request
		})
	}
}

// TestURLRedirectsByEitherName: the source reads URL redirects under the
// earlier connector's name and under the short one, with the records'
// collection the short one.
func TestURLRedirectsByEitherName(t *testing.T) {
	e := newEnv(t)
	if _, err := e.srv.AddRedirect(hubspottest.Redirect{RoutePrefix: "/a", Destination: "https://example.com/", RedirectStyle: 301}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cms.urlRedirects", "url_redirects"} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			src := openSource(t, e, map[string]string{"resource": name}, nil)
			recs := readCount(t, src, 1)
			is.Equal(recs[0].Operation, opencdc.OperationSnapshot)
			col, err := recs[0].Metadata.GetCollection()
			is.NoErr(err)
			is.Equal(col, "url_redirects")
		})
	}
}
