package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// cmsState is what the CMS comparison looks at in an account: each live
// blog post, tag and redirect by its natural key, with the values the
// changes touch. Ids differ between accounts, so they are left out.
func cmsState(srv *hubspottest.Server) string {
	posts := map[string]string{}
	for k, d := range srv.LiveCMSDocs(hubspottest.BlogPosts) {
		posts[k] = fmt.Sprint(d.Fields["name"], "|", d.Fields["postSummary"], "|", d.Fields["state"])
	}
	tags := map[string]string{}
	for k, tag := range srv.LiveBlogTags() {
		tags[k] = tag.Slug
	}
	redirects := map[string]string{}
	for k, r := range srv.LiveRedirects() {
		redirects[k] = fmt.Sprint(r.Destination, "|", r.RedirectStyle)
	}
	return fmt.Sprint(posts, tags, redirects)
}

// cmsDiff says how the second account's content differs from the first's,
// or "".
func cmsDiff(from, to *hubspottest.Server) string {
	if want, got := cmsState(from), cmsState(to); want != got {
		return "want " + want + "\n got " + got
	}
	return ""
}

func apiClient(t *testing.T, srv *hubspottest.Server) *hubspot.Client {
	t.Helper()
	c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL), hubspot.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func obj(t *testing.T, fields map[string]any) hubspot.CMSObject {
	t.Helper()
	o, err := hubspot.CMSObjectOf(fields)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// cmsSeed adds n posts, tags and redirects, numbered from first, and
// returns their ids.
func cmsSeed(t *testing.T, srv *hubspottest.Server, first, n int) (posts, tags, redirects []string) {
	t.Helper()
	for i := first; i < first+n; i++ {
		id, err := srv.AddCMS(hubspottest.BlogPosts, map[string]any{"name": fmt.Sprintf("Post %d", i), "contentGroupId": "77",
			"slug": fmt.Sprintf("post-%d", i), "postBody": "<p>body</p>", "tagIds": []int{1, i},
			"widgets": map[string]any{"w": map[string]any{"n": i}}, "publishDate": "2026-01-02T03:04:05Z"})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, id)
		if id, err = srv.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("tag %d", i), Language: "en"}); err != nil {
			t.Fatal(err)
		}
		tags = append(tags, id)
		if id, err = srv.AddRedirect(hubspottest.Redirect{RoutePrefix: fmt.Sprintf("/old/%d", i),
			Destination: fmt.Sprintf("https://example.com/%d", i), RedirectStyle: 301}); err != nil {
			t.Fatal(err)
		}
		redirects = append(redirects, id)
	}
	return posts, tags, redirects
}

// TestCMSToHubSpot runs examples/hubspot-cms-to-hubspot.yaml: blog posts,
// tags and URL redirects mirrored from one simulated account to another by
// one pipeline of several resources in real Conduit (the destination
// routing each record by its collection), through the snapshot and then
// live creates, updates and deletes of each, until the two accounts hold
// the same content.
func TestCMSToHubSpot(t *testing.T) {
	from, to := newSim(t), newSim(t)
	posts, tags, redirects := cmsSeed(t, from, 0, 12)
	wait := startMirror(t, "hubspot-cms-to-hubspot.yaml", from, to, cmsDiff)
	wait("the snapshot in the second account")

	// Live changes through the first account's API, as another
	// integration makes them.
	ctx := context.Background()
	api := apiClient(t, from)
	cmsSeed(t, from, 100, 3)
	for i := range 4 {
		if _, err := api.BlogPosts.Update(ctx, posts[i], obj(t, map[string]any{"postSummary": fmt.Sprintf("summary %d", i), "state": "PUBLISHED"})); err != nil {
			t.Fatal(err)
		}
		if _, err := api.BlogTags.Update(ctx, tags[i], obj(t, map[string]any{"slug": fmt.Sprintf("moved-%d", i)})); err != nil {
			t.Fatal(err)
		}
		if _, err := api.URLRedirects.Update(ctx, redirects[i], obj(t, map[string]any{"destination": "https://example.com/moved", "redirectStyle": 302})); err != nil {
			t.Fatal(err)
		}
	}
	for _, del := range []struct {
		svc *hubspot.CMSObjectsService
		id  string
	}{{api.BlogPosts, posts[5]}, {api.BlogTags, tags[5]}, {api.URLRedirects, redirects[5]}, {api.BlogPosts, posts[6]}} {
		if err := del.svc.Delete(ctx, del.id); err != nil {
			t.Fatal(err)
		}
	}
	wait("the changes in the second account")
}
