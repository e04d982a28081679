package destination_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const blogTagsCalls = "/cms/v3/blogs/tags"

func tagRec(op opencdc.Operation, pos string, key opencdc.Data, name string) opencdc.Record {
	return rec(op, pos, key, opencdc.StructuredData{"name": name, "language": "en"})
}

// TestBlogTagsCreateUpdateDelete: creates, updates and deletes of blog
// tags land, in order, under either name; an update or delete keyed by the
// source's key reaches the tag this run created for it.
func TestBlogTagsCreateUpdateDelete(t *testing.T) {
	for _, resource := range []string{"cms.blogs.tags", "blog_tags"} {
		t.Run(resource, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			d := openDestination(t, srv, map[string]string{"resource": resource})
			n, err := d.Write(context.Background(), []opencdc.Record{
				tagRec(opencdc.OperationSnapshot, "p0", id("src-1"), "News"),
				tagRec(opencdc.OperationCreate, "p1", id("src-2"), "Events"),
				rec(opencdc.OperationCreate, "p2", nil, opencdc.StructuredData{"name": "Actualités", "language": "fr",
					"slug": "actu", "translatedFromId": 184993428780, "id": "ignored", "created": "ignored"}),
				rec(opencdc.OperationUpdate, "p3", id("src-1"), opencdc.StructuredData{"slug": "news-1"}),
				rec(opencdc.OperationUpdate, "p4", id("src-1"), opencdc.StructuredData{"slug": "news-2"}),
				rec(opencdc.OperationDelete, "p5", id("src-2"), nil),
			})
			is.NoErr(err)
			is.Equal(n, 6)
			live := srv.LiveBlogTags()
			is.Equal(len(live), 2)
			is.Equal(live["News/en"].Slug, "news-2") // the updates in order
			fr := live["Actualités/fr"]
			is.Equal(fr.Slug, "actu")
			is.Equal(fr.TranslatedFromID, int64(184993428780))

			// Keyed by HubSpot's id; a delete delivered again is no error.
			n, err = d.Write(context.Background(), []opencdc.Record{
				rec(opencdc.OperationDelete, "p6", id(fr.ID), nil),
				rec(opencdc.OperationDelete, "p7", id(fr.ID), nil),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(len(srv.LiveBlogTags()), 1)
		})
	}
}

// TestBlogTagsBadRecordIsolated: a tag whose name is taken with other
// values fails alone; the ones before it are written, and the rest when
// Conduit delivers them again. A bad field names the tag's fields.
func TestBlogTagsBadRecordIsolated(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "blog_tags"})
	_, err := srv.AddBlogTag(hubspottest.BlogTag{Name: "t2", Language: "en", Slug: "someone-elses"})
	is.NoErr(err)
	var recs []opencdc.Record
	for i := range 5 {
		recs = append(recs, rec(opencdc.OperationCreate, fmt.Sprintf("p%d", i), nil,
			opencdc.StructuredData{"name": fmt.Sprintf("t%d", i), "language": "en", "slug": fmt.Sprintf("s%d", i)}))
	}
	n, err := d.Write(context.Background(), recs)
	is.Equal(n, 2)
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "record 2 (position p2"))
	is.True(strings.Contains(err.Error(), "exists with other values"))
	n, err = d.Write(context.Background(), recs[3:])
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(len(srv.LiveBlogTags()), 5)

	_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "b0", nil, opencdc.StructuredData{"name": "x", "colour": "red"})})
	is.True(err != nil)
	is.True(strings.Contains(err.Error(), "a blog tag has no fields colour; it has name, slug, language, translatedFromId"))
	_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationUpdate, "b1", nil, opencdc.StructuredData{"slug": "y"})})
	is.True(strings.Contains(err.Error(), "needs the tag's id in its key"))
}

// TestBlogTagsLostCreateAnswer: a create whose answer is lost, though
// HubSpot applied it, is found by its name and not made twice.
func TestBlogTagsLostCreateAnswer(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "blog_tags"})
	srv.InjectFault(hubspottest.Fault{Method: "POST", Path: blogTagsCalls, Kind: hubspottest.FaultHTML, Status: 502, Applied: true})
	n, err := d.Write(context.Background(), []opencdc.Record{
		tagRec(opencdc.OperationCreate, "p0", id("src-1"), "Once"),
		rec(opencdc.OperationUpdate, "p1", id("src-1"), opencdc.StructuredData{"slug": "once-more"}),
	})
	is.NoErr(err)
	is.Equal(n, 2)
	is.Equal(srv.Calls()["POST "+blogTagsCalls], 1)
	is.Equal(len(srv.BlogTags()), 1)
	is.Equal(srv.LiveBlogTags()["Once/en"].Slug, "once-more")
}
