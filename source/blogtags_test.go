package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

var blogTagSettings = map[string]string{"resource": "blog_tags", "bufferSize": "7"}

func addBlogTag(t *testing.T, e env, i int) string {
	t.Helper()
	id, err := e.srv.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("tag %d", i), Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// changeBlogTags makes n random creates, updates and deletes of tags
// through the API, the clock moving on now and then.
func changeBlogTags(t *testing.T, e env, api *hubspot.CMSObjectsService, rng *rand.Rand, ids *[]string, next *int, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		if rng.IntN(3) == 0 {
			e.clock.Advance(time.Duration(rng.IntN(3)) * time.Millisecond)
		}
		switch op := rng.IntN(6); {
		case op == 0 || len(e.srv.LiveBlogTags()) == 0:
			*ids = append(*ids, addBlogTag(t, e, *next))
			*next++
		case op == 1:
			if err := api.Delete(ctx, (*ids)[rng.IntN(len(*ids))]); err != nil && !hubspot.IsNotFound(err) {
				t.Fatal(err)
			}
		default:
			slug := fmt.Sprintf("slug-%d", rng.IntN(100000))
			in, _ := hubspot.CMSObjectOf(map[string]any{"slug": slug})
			if _, err := api.Update(ctx, (*ids)[rng.IntN(len(*ids))], in); err != nil && !hubspot.IsNotFound(err) {
				t.Fatal(err)
			}
		}
	}
}

// checkBlogTags compares the replica with the simulator, as checkRedirects.
func checkBlogTags(t *testing.T, rp *replica, srv *hubspottest.Server, start time.Time, creates bool) {
	t.Helper()
	for _, tag := range srv.BlogTags() {
		switch {
		case tag.Archived && tag.Updated.After(start):
			if !rp.deleted[tag.ID] {
				t.Errorf("tag %s was deleted at %s, but no delete record came", tag.ID, tag.Updated)
			}
		case tag.Archived:
		default:
			want := opencdc.StructuredData{"id": tag.ID, "createdAt": tag.Created, "updatedAt": tag.Updated, "archivedAt": nil,
				"language": tag.Language, "name": tag.Name, "slug": tag.Slug, "translatedFromId": nil}
			if got := rp.objects[tag.ID]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("tag %s:\n got %v\nwant %v", tag.ID, got, want)
			}
			if creates && tag.Created.After(start) && rp.creates[tag.ID] == 0 {
				t.Errorf("tag %s was created after the start, but no create record came", tag.ID)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestBlogTagsSnapshotThenCDC: a snapshot of 40 tags in pages of 7, then
// 50 random creates, updates and deletes, come out complete, each delete
// once, in the collection blog_tags, under either name.
func TestBlogTagsSnapshotThenCDC(t *testing.T) {
	for _, name := range []string{"cms.blogs.tags", "blog_tags"} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			api := apiClient(t, e).BlogTags
			var ids []string
			for i := range 40 {
				ids = append(ids, addBlogTag(t, e, i))
			}
			e.tick()
			src := openSource(t, e, map[string]string{"resource": name, "bufferSize": "7"}, nil)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 40})
			start := *positionOf(t, recs[0]).InitialTimestamp
			col, err := recs[0].Metadata.GetCollection()
			is.NoErr(err)
			is.Equal(col, hubspot.BlogTagsResourceName)
			encodes(t, recs)

			rng := rand.New(rand.NewPCG(17, 1))
			next := len(ids)
			for range 5 {
				e.tick()
				changeBlogTags(t, e, api, rng, &ids, &next, 10)
				recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			}
			e.settle()
			recs = append(recs, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			rp := newReplica()
			rp.apply(t, recs)
			checkBlogTags(t, rp, e.srv, start, true)
			for id, n := range rp.deletes {
				if n != 1 {
					t.Errorf("tag %s: %d deletes", id, n)
				}
			}
		})
	}
}

// TestBlogTagsRestartAtAckedPositions: 50 random changes during and after
// a snapshot, the source stopped 10 times at random acked positions and
// opened again there: nothing is lost.
func TestBlogTagsRestartAtAckedPositions(t *testing.T) {
	e := newEnv(t, hubspottest.WithRandomSeed(3))
	api := apiClient(t, e).BlogTags
	var ids []string
	for i := range 30 {
		ids = append(ids, addBlogTag(t, e, i))
	}
	e.tick()
	rng := rand.New(rand.NewPCG(3, 17))
	next := len(ids)
	src := openSource(t, e, blogTagSettings, nil)
	acked, start := restartRun(t, e, src, blogTagSettings, rng, func() { changeBlogTags(t, e, api, rng, &ids, &next, 5) })
	rp := newReplica()
	rp.apply(t, acked)
	checkBlogTags(t, rp, e.srv, start, false)
}
