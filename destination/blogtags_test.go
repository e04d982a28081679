package destination_test

import (
	"context"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const blogTagsCalls = "/cms/blogs/2026-09/tags"

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

			deleteTwice(t, d, fr.ID)
			is.Equal(len(srv.LiveBlogTags()), 1)
		})
	}
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
