package destination_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// cmsDestCase is a resource of the CMS document store as the tests write
// it: its names, the simulator type and path, the payload of its i-th
// object, the key the simulator's LiveCMSDocs gives it, and a field an
// update sets.
type cmsDestCase struct {
	legacy, name string
	typ          hubspottest.CMSType
	path         string
	payload      func(i int) opencdc.StructuredData
	key          func(i int) string
	changed      string
	// differ is a field and a value other than the payload's.
	differ map[string]any
	// batch says that the resource's writes go in batch calls.
	batch bool
}

// batchCalls is how many batch calls of an operation a run of it makes.
func (c cmsDestCase) batchCalls() int {
	if c.batch {
		return 1
	}
	return 0
}

func cmsDestCases() []cmsDestCase {
	page := func(legacy, name string, typ hubspottest.CMSType, path string) cmsDestCase {
		return cmsDestCase{legacy, name, typ, path, func(i int) opencdc.StructuredData {
			return opencdc.StructuredData{"name": fmt.Sprintf("Page %d", i), "domain": "example.com", "slug": fmt.Sprintf("p-%d", i),
				"widgets": `{"hero":{"title":1}}`, "pageExpiryEnabled": true, "categoryId": 1.0, "url": "ignored"}
		}, func(i int) string { return fmt.Sprintf("example.com/p-%d", i) }, "metaDescription", map[string]any{"name": "Other"}, true}
	}
	return []cmsDestCase{
		{"cms.blogs.tags", "blog_tags", hubspottest.BlogTags, "/cms/blogs/2026-09/tags", func(i int) opencdc.StructuredData {
			return opencdc.StructuredData{"name": fmt.Sprintf("Tag %d", i), "language": "en", "slug": fmt.Sprintf("t-%d", i),
				"translatedFromId": 184993428780.0, "deletedAt": "ignored"}
		}, func(i int) string { return fmt.Sprintf("Tag %d/en", i) }, "slug", map[string]any{"slug": "someone-elses"}, true},
		{"cms.blogs.posts", "blog_posts", hubspottest.BlogPosts, "/cms/blogs/2026-09/posts", func(i int) opencdc.StructuredData {
			return opencdc.StructuredData{"name": fmt.Sprintf("Post %d", i), "contentGroupId": "77", "slug": fmt.Sprintf("post-%d", i),
				"tagIds": []any{1, 2}, "postBody": "<p>hi</p>", "id": "ignored", "created": "ignored"}
		}, func(i int) string { return fmt.Sprintf("77/post-%d", i) }, "postSummary", map[string]any{"postBody": "<p>else</p>"}, true},
		{"cms.blogs.authors", "blog_authors", hubspottest.BlogAuthors, "/cms/blogs/2026-09/authors", func(i int) opencdc.StructuredData {
			return opencdc.StructuredData{"fullName": fmt.Sprintf("Author %d", i), "language": "en", "translatedFromId": 5.0}
		}, func(i int) string { return fmt.Sprintf("Author %d/en", i) }, "bio", map[string]any{"translatedFromId": 6}, true},
		page("cms.pages.landing", "landing_pages", hubspottest.LandingPages, "/cms/pages/2026-03/landing-pages"),
		page("cms.pages.site", "site_pages", hubspottest.SitePages, "/cms/pages/2026-03/site-pages"),
	}
}

func (c cmsDestCase) rec(op opencdc.Operation, pos string, key opencdc.Data, i int) opencdc.Record {
	return rec(op, pos, key, c.payload(i))
}

// update is an update of the changed field.
func (c cmsDestCase) update(pos string, key opencdc.Data, value string) opencdc.Record {
	return rec(opencdc.OperationUpdate, pos, key, opencdc.StructuredData{c.changed: value})
}

// TestCMSObjectsCreateUpdateDelete: for blog tags, posts, authors, landing
// and site pages, under either name, creates, updates and deletes land in
// order, in one batch call per run of an operation where the resource has
// them; an update or delete
// keyed by the source's key reaches the object this run created for it.
func TestCMSObjectsCreateUpdateDelete(t *testing.T) {
	for _, c := range cmsDestCases() {
		for _, resource := range []string{c.legacy, c.name} {
			t.Run(resource, func(t *testing.T) {
				is := is.New(t)
				srv := newSim(t)
				d := openDestination(t, srv, map[string]string{"resource": resource})
				srv.ResetCalls()
				n, err := d.Write(context.Background(), []opencdc.Record{
					c.rec(opencdc.OperationSnapshot, "p0", id("src-0"), 0),
					c.rec(opencdc.OperationCreate, "p1", id("src-1"), 1),
					c.rec(opencdc.OperationCreate, "p2", nil, 2),
					c.update("p3", id("src-0"), "first"),
				})
				is.NoErr(err)
				is.Equal(n, 4)
				is.Equal(srv.Calls()["POST "+c.path+"/batch/create"], c.batchCalls())
				n, err = d.Write(context.Background(), []opencdc.Record{
					c.update("p5", id("src-0"), "second"),
					c.update("p6", id("src-1"), "other"),
					rec(opencdc.OperationDelete, "p7", id("src-1"), nil),
				})
				is.NoErr(err)
				is.Equal(n, 3)
				is.Equal(srv.Calls()["POST "+c.path+"/batch/update"], c.batchCalls())
				live := srv.LiveCMSDocs(c.typ)
				is.Equal(len(live), 2)
				is.Equal(live[c.key(0)].Fields[c.changed], "second") // the updates in order
				_, ok := live[c.key(2)]
				is.True(ok)
				is.Equal(live[c.key(0)].Fields["url"], nil) // read-only: not sent

				// Keyed by HubSpot's ids, in one batch archive; a delete
				// delivered again is no error.
				other := live[c.key(2)].ID
				n, err = d.Write(context.Background(), []opencdc.Record{
					rec(opencdc.OperationDelete, "p8", id(live[c.key(0)].ID), nil),
					rec(opencdc.OperationDelete, "p9", id(other), nil),
				})
				is.NoErr(err)
				is.Equal(n, 2)
				is.Equal(srv.Calls()["POST "+c.path+"/batch/archive"], c.batchCalls())
				n, err = d.Write(context.Background(), []opencdc.Record{
					rec(opencdc.OperationDelete, "p10", id(other), nil),
					rec(opencdc.OperationDelete, "p11", id(other+"0"), nil),
				})
				is.NoErr(err)
				is.Equal(n, 2)
				is.Equal(len(srv.LiveCMSDocs(c.typ)), 0)
			})
		}
	}
}

// TestCMSObjectsBadRecordIsolated: an object whose natural key is taken
// with other values fails alone in a batch of 5: HubSpot refuses the
// batch, the records are written one by one, the ones before it land, and
// the rest when Conduit delivers them again. A bad field names the
// resource's fields; a record that is not valid fails before the batch.
func TestCMSObjectsBadRecordIsolated(t *testing.T) {
	for _, c := range cmsDestCases() {
		t.Run(c.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": c.name})
			taken := map[string]any{}
			for k, v := range c.payload(2) {
				if s, ok := v.(string); ok && strings.HasPrefix(s, "{") && json.Valid([]byte(s)) {
					_ = json.Unmarshal([]byte(s), &v) // JSON text: the value HubSpot stores
				}
				taken[k] = v
			}
			maps.Copy(taken, c.differ)
			for _, k := range []string{"url", "id", "created"} {
				delete(taken, k)
			}
			_, err := srv.AddCMS(c.typ, taken)
			is.NoErr(err)
			var recs []opencdc.Record
			for i := range 5 {
				recs = append(recs, c.rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil, i))
			}
			thirdFailsAlone(t, d, recs)
			is.Equal(len(srv.LiveCMSDocs(c.typ)), 5)

			bad := c.payload(9)
			bad["colour"] = "red"
			n, err := d.Write(context.Background(), []opencdc.Record{
				c.rec(opencdc.OperationCreate, "b0", nil, 7),
				rec(opencdc.OperationCreate, "b1", nil, bad),
			})
			is.Equal(n, 1)
			is.True(err != nil)
			is.True(strings.Contains(err.Error(), "record 1 (position b1"))
			is.True(strings.Contains(err.Error(), "has no fields colour; it has "))
			_, err = d.Write(context.Background(), []opencdc.Record{c.update("b2", nil, "y")})
			is.True(strings.Contains(err.Error(), "needs the "))

			// In a run of updates, the bad one ends the batch: the one
			// before it is written.
			live := srv.LiveCMSDocs(c.typ)
			first, second := live[c.key(0)].ID, live[c.key(1)].ID
			unchanged := live[c.key(1)].Fields[c.changed]
			srv.ResetCalls()
			n, err = d.Write(context.Background(), []opencdc.Record{
				c.update("u0", id(first), "fine"),
				rec(opencdc.OperationUpdate, "u1", id(second), opencdc.StructuredData{"colour": "red"}),
				c.update("u2", id(second), "late"),
			})
			is.Equal(n, 1)
			is.True(strings.Contains(err.Error(), "record 1 (position u1"))
			is.Equal(srv.LiveCMSDocs(c.typ)[c.key(0)].Fields[c.changed], "fine")
			is.Equal(srv.LiveCMSDocs(c.typ)[c.key(1)].Fields[c.changed], unchanged)
		})
	}
}

// TestCMSObjectsLostBatchAnswer: a batch create whose answer is lost,
// though HubSpot applied it, is resolved by looking each object up by its
// natural key: none is created twice, and updates keyed by the source's
// keys reach them. A lost batch update is sent again singly.
func TestCMSObjectsLostBatchAnswer(t *testing.T) {
	for _, c := range cmsDestCases() {
		if !c.batch {
			continue // no batch calls: TestRedirectsLostCreateAnswers
		}
		t.Run(c.name, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": c.name})
			srv.InjectFault(hubspottest.Fault{Method: "POST", Path: c.path + "/batch/create", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
			n, err := d.Write(context.Background(), []opencdc.Record{
				c.rec(opencdc.OperationCreate, "p0", id("src-0"), 0),
				c.rec(opencdc.OperationCreate, "p1", id("src-1"), 1),
				c.update("p2", id("src-1"), "after"),
			})
			is.NoErr(err)
			is.Equal(n, 3)
			is.Equal(srv.Calls()["POST "+c.path+"/batch/create"], c.batchCalls())
			is.Equal(srv.Calls()["POST "+c.path], 0) // found, not created again
			is.Equal(len(srv.CMSDocs(c.typ)), 2)
			is.Equal(srv.LiveCMSDocs(c.typ)[c.key(1)].Fields[c.changed], "after")

			// A batch update whose answer is lost is sent again, one by one.
			srv.InjectFault(hubspottest.Fault{Method: "POST", Path: c.path + "/batch/update", Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
			n, err = d.Write(context.Background(), []opencdc.Record{
				c.update("p3", id("src-0"), "again 0"),
				c.update("p4", id("src-1"), "again 1"),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(srv.LiveCMSDocs(c.typ)[c.key(0)].Fields[c.changed], "again 0")
			is.Equal(srv.LiveCMSDocs(c.typ)[c.key(1)].Fields[c.changed], "again 1")
		})
	}
}

// deleteTwice deletes the object of a HubSpot id twice: keyed by
// HubSpot's id, and delivered again, which is no error.
func deleteTwice(t *testing.T, d *destination.Destination, hubspotID string) {
	t.Helper()
	n, err := d.Write(context.Background(), []opencdc.Record{
		rec(opencdc.OperationDelete, "p6", id(hubspotID), nil),
		rec(opencdc.OperationDelete, "p7", id(hubspotID), nil),
	})
	if err != nil || n != 2 {
		t.Fatalf("delete %s twice: %d written, %v", hubspotID, n, err)
	}
}

// thirdFailsAlone writes recs, whose third is a create of a natural key
// taken with other values: the two before it are written, it fails
// naming itself, and the rest, delivered again after it, are written.
func thirdFailsAlone(t *testing.T, d *destination.Destination, recs []opencdc.Record) {
	t.Helper()
	n, err := d.Write(context.Background(), recs)
	if n != 2 || err == nil || !strings.Contains(err.Error(), "record 2 (position p2") || !strings.Contains(err.Error(), "exists with other values") {
		t.Fatalf("write: %d written, %v; want 2 and record 2 failed, its key taken", n, err)
	}
	if n, err = d.Write(context.Background(), recs[3:]); err != nil || n != len(recs)-3 {
		t.Fatalf("write the rest: %d written, %v", n, err)
	}
}
