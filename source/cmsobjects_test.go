package source_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// cmsCase is one resource of hubspot.CMSObjectsService as the tests drive
// it: its names, its simulator type, the fields of its i-th object and a
// field the changes rewrite.
type cmsCase struct {
	legacy, name string
	typ          hubspottest.CMSType
	service      func(*hubspot.Client) *hubspot.CMSObjectsService
	fields       func(i int) map[string]any
	changed      string
}

func cmsCases() []cmsCase {
	page := func(legacy, name string, typ hubspottest.CMSType, svc func(*hubspot.Client) *hubspot.CMSObjectsService) cmsCase {
		return cmsCase{legacy, name, typ, svc, func(i int) map[string]any {
			return map[string]any{"name": fmt.Sprintf("Page %d", i), "domain": "example.com", "slug": fmt.Sprintf("p-%d", i),
				"widgets": map[string]any{"hero": map[string]any{"title": i}}, "pageExpiryEnabled": i%2 == 0}
		}, "metaDescription"}
	}
	return []cmsCase{
		{"cms.blogs.tags", hubspot.BlogTagsResourceName, hubspottest.BlogTags,
			func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.BlogTags },
			func(i int) map[string]any { return map[string]any{"name": fmt.Sprintf("tag %d", i), "language": "en"} }, "slug"},
		{"cms.blogs.posts", hubspot.BlogPostsResourceName, hubspottest.BlogPosts,
			func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.BlogPosts },
			func(i int) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Post %d", i), "contentGroupId": "77", "slug": fmt.Sprintf("post-%d", i),
					"tagIds": []int{i, i + 1}, "publishDate": "2026-01-02T03:04:05Z", "postBody": "<p>hi</p>"}
			}, "postSummary"},
		{"cms.blogs.authors", hubspot.BlogAuthorsResourceName, hubspottest.BlogAuthors,
			func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.BlogAuthors },
			func(i int) map[string]any {
				return map[string]any{"fullName": fmt.Sprintf("Author %d", i), "language": "en", "translatedFromId": i}
			}, "bio"},
		page("cms.pages.landing", hubspot.LandingPagesResourceName, hubspottest.LandingPages,
			func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.LandingPages }),
		page("cms.pages.site", hubspot.SitePagesResourceName, hubspottest.SitePages,
			func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.SitePages }),
	}
}

func (c cmsCase) add(t *testing.T, e env, i int) string {
	t.Helper()
	id, err := e.srv.AddCMS(c.typ, c.fields(i))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// change makes n random creates, updates and deletes through the API, the
// clock moving on now and then.
func (c cmsCase) change(t *testing.T, e env, api *hubspot.CMSObjectsService, rng *rand.Rand, ids *[]string, next *int, n int) {
	t.Helper()
	ctx := context.Background()
	churn(e, rng, n, func() bool { return len(e.srv.LiveCMSDocs(c.typ)) == 0 }, func() {
		*ids = append(*ids, c.add(t, e, *next))
		*next++
	}, func() {
		if err := api.Delete(ctx, (*ids)[rng.IntN(len(*ids))]); err != nil && !hubspot.IsNotFound(err) {
			t.Fatal(err)
		}
	}, func() {
		v, _ := json.Marshal(fmt.Sprintf("text %d", rng.IntN(100000)))
		if _, err := api.Update(ctx, (*ids)[rng.IntN(len(*ids))], hubspot.CMSObject{c.changed: v}); err != nil && !hubspot.IsNotFound(err) {
			t.Fatal(err)
		}
	})
}

// want is the payload fields a live object's record must hold: its times,
// and each field as sent, typed (a nested value as its JSON text).
func (c cmsCase) want(t *testing.T, d hubspottest.CMSDoc) map[string]any {
	t.Helper()
	out := map[string]any{"id": d.ID, "createdAt": d.Created, "updatedAt": d.Updated, "archivedAt": nil, "url": nil}
	for name, v := range d.Fields {
		switch v := v.(type) {
		case map[string]any, []any:
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = string(b)
		case string:
			out[name] = v
			if name == "publishDate" {
				out[name], _ = time.Parse(time.RFC3339, v)
			}
		default:
			out[name] = v
		}
	}
	return out
}

// check compares the replica with the simulator, as checkRedirects.
func (c cmsCase) check(t *testing.T, rp *replica, srv *hubspottest.Server, start time.Time, creates bool) {
	t.Helper()
	for _, d := range srv.CMSDocs(c.typ) {
		switch {
		case d.Archived && d.Deleted.After(start):
			if !rp.deleted[d.ID] {
				t.Errorf("%s %s was deleted at %s, but no delete record came", c.name, d.ID, d.Deleted)
			}
		case d.Archived:
		default:
			got := rp.objects[d.ID]
			for name, want := range c.want(t, d) {
				if fmt.Sprint(got[name]) != fmt.Sprint(want) {
					t.Errorf("%s %s: field %s = %v, want %v", c.name, d.ID, name, got[name], want)
				}
			}
			if creates && d.Created.After(start) && rp.creates[d.ID] == 0 {
				t.Errorf("%s %s was created after the start, but no create record came", c.name, d.ID)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestCMSObjectsSnapshotThenCDC: for blog tags, posts, authors, landing
// and site pages, under either name, a snapshot of 20 objects in pages of 7, then
// 50 random creates, updates and deletes, come out complete, typed and
// encoding with their schema, each delete once, in the collection of the
// short name; in each of cmsModes (under the short name).
func TestCMSObjectsSnapshotThenCDC(t *testing.T) {
	for i, m := range cmsModes() {
		for _, c := range cmsCases() {
			names := []string{c.name}
			if i == 0 {
				names = append(names, c.legacy)
			}
			for _, name := range names {
				t.Run(m.name+"/"+name, func(t *testing.T) {
					is := is.New(t)
					e := newEnv(t, m.opts...)
					api := c.service(apiClient(t, e))
					var ids []string
					for i := range 20 {
						ids = append(ids, c.add(t, e, i))
					}
					e.tick()
					src := openSource(t, e, map[string]string{"resource": name, "bufferSize": "7"}, nil)
					recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
					is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 20})
					start := *positionOf(t, recs[0]).InitialTimestamp
					col, err := recs[0].Metadata.GetCollection()
					is.NoErr(err)
					is.Equal(col, c.name)

					rng := rand.New(rand.NewPCG(17, 1))
					next := len(ids)
					recs = append(recs, readChanges(t, e, src, func() { c.change(t, e, api, rng, &ids, &next, 10) })...)
					encodes(t, recs)
					rp := newReplica()
					rp.apply(t, recs)
					c.check(t, rp, e.srv, start, true)
					rp.deletedOnce(t, c.name)
				})
			}
		}
	}
}

// TestCMSObjectsRestartAtAckedPositions: for each resource, in each of
// cmsModes, 50 random changes during and after a snapshot, the source
// stopped 10 times at random acked positions and opened again there:
// nothing is lost.
func TestCMSObjectsRestartAtAckedPositions(t *testing.T) {
	for _, m := range cmsModes() {
		for _, c := range cmsCases() {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				e := newEnv(t, append(m.opts, hubspottest.WithRandomSeed(3))...)
				api := c.service(apiClient(t, e))
				var ids []string
				for i := range 30 {
					ids = append(ids, c.add(t, e, i))
				}
				e.tick()
				rng := rand.New(rand.NewPCG(3, 17))
				next := len(ids)
				settings := map[string]string{"resource": c.name, "bufferSize": "7"}
				src := openSource(t, e, settings, nil)
				acked, start := restartRun(t, e, src, settings, rng, func() { c.change(t, e, api, rng, &ids, &next, 5) })
				rp := newReplica()
				rp.apply(t, acked)
				c.check(t, rp, e.srv, start, false)
			})
		}
	}
}
