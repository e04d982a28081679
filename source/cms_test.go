package source_test

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

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
