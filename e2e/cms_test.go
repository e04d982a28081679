package e2e

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// cmsContent is what the CMS mirror test compares of an account: each live
// redirect by its routePrefix and each live tag by its name, with their
// fields.
func cmsContent(srv *hubspottest.Server) map[string]string {
	out := map[string]string{}
	for prefix, r := range srv.LiveRedirects() {
		out["redirect "+prefix] = fmt.Sprintf("%s %d %d %v %v", r.Destination, r.RedirectStyle, r.Precedence, r.IsPattern, r.IsTrailingSlashOptional)
	}
	for _, tag := range srv.LiveBlogTags() {
		out["tag "+tag.Name] = fmt.Sprintf("%s %s", tag.Slug, tag.Language)
	}
	return out
}

// cmsDiff says how the second account's content differs from the first's,
// or "".
func cmsDiff(from, to *hubspottest.Server) string {
	want, got := cmsContent(from), cmsContent(to)
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			return fmt.Sprintf("%s is %q in the mirror, want %q", k, got[k], want[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return k + " is in the mirror only"
		}
	}
	return ""
}

// TestCMSToHubSpot runs examples/hubspot-cms-to-hubspot.yaml: URL redirects
// and blog tags mirrored from one account to another by one pipeline of
// several resources, through the snapshot and then creates, updates and
// deletes of each; the two accounts then hold the same content.
func TestCMSToHubSpot(t *testing.T) {
	from, to := newSim(t), newSim(t)
	var redirects, tags []string
	for i := range 12 {
		id, err := from.AddRedirect(hubspottest.Redirect{
			RoutePrefix: fmt.Sprintf("/old/%d", i), Destination: fmt.Sprintf("https://example.com/new/%d", i),
			RedirectStyle: 301, Precedence: i, IsTrailingSlashOptional: i%2 == 0,
		})
		if err != nil {
			t.Fatal(err)
		}
		redirects = append(redirects, id)
		if id, err = from.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("Tag %d", i), Language: "en"}); err != nil {
			t.Fatal(err)
		}
		tags = append(tags, id)
	}
	wait := startMirror(t, "hubspot-cms-to-hubspot.yaml", from, to, cmsDiff)
	wait("the snapshot in the second account")

	// Live changes through the first account's API, as another
	// integration makes them.
	api, err := hubspot.NewClient(from.Token, hubspot.WithBaseURL(from.URL), hubspot.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	ctx := context.Background()
	for i := range 3 {
		dest, style := fmt.Sprintf("https://example.com/moved/%d", i), 302
		if _, err := api.URLRedirects.Update(ctx, redirects[i], hubspot.URLRedirectInput{Destination: &dest, RedirectStyle: &style}); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("Renamed %d", i)
		if _, err := api.BlogTags.Update(ctx, tags[i], hubspot.BlogTagInput{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if err := api.URLRedirects.Delete(ctx, redirects[6+i]); err != nil {
			t.Fatal(err)
		}
		if err := api.BlogTags.Delete(ctx, tags[6+i]); err != nil {
			t.Fatal(err)
		}
		prefix, target := fmt.Sprintf("/live/%d", i), "https://example.com/live"
		if _, err := api.URLRedirects.Create(ctx, hubspot.URLRedirectInput{RoutePrefix: &prefix, Destination: &target, RedirectStyle: &style}); err != nil {
			t.Fatal(err)
		}
		tag := fmt.Sprintf("Live %d", i)
		if _, err := api.BlogTags.Create(ctx, hubspot.BlogTagInput{Name: &tag}); err != nil {
			t.Fatal(err)
		}
	}
	wait("the changes in the second account")
}
