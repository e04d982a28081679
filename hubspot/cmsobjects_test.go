package hubspot_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

func cmsObj(t *testing.T, fields map[string]any) hubspot.CMSObject {
	t.Helper()
	out, err := hubspot.CMSObjectOf(fields)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCMSObjectsRoundTrip: every call of the CMS objects service against
// the simulator, for each resource: create, get, update, the natural key's
// conflict and look-up, the batch calls, and the deletion time of a
// deleted object (epoch milliseconds for posts, a date-time for the
// others).
func TestCMSObjectsRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		service  func(*hubspot.Client) *hubspot.CMSObjectsService
		typ      hubspottest.CMSType
		fields   func(i int) map[string]any
		deleted  string
		keyLabel string
	}{
		{"blog posts", func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.BlogPosts }, hubspottest.BlogPosts,
			func(i int) map[string]any {
				return map[string]any{"name": "Post", "contentGroupId": "77", "slug": slug(i), "tagIds": []int{1, 2}}
			}, "archivedAt", "slug"},
		{"blog authors", func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.BlogAuthors }, hubspottest.BlogAuthors,
			func(i int) map[string]any { return map[string]any{"fullName": slug(i), "language": "en", "bio": "b"} }, "deletedAt", "fullName"},
		{"landing pages", func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.LandingPages }, hubspottest.LandingPages,
			func(i int) map[string]any {
				return map[string]any{"name": "Page", "domain": "example.com", "slug": slug(i)}
			}, "archivedAt", "slug"},
		{"site pages", func(c *hubspot.Client) *hubspot.CMSObjectsService { return c.SitePages }, hubspottest.SitePages,
			func(i int) map[string]any {
				return map[string]any{"name": "Page", "domain": "example.com", "slug": slug(i)}
			}, "archivedAt", "slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			clock := hubspottest.NewManualClock(start)
			srv := newSim(t, hubspottest.WithClock(clock))
			svc := tt.service(simClient(t, srv))

			created, err := svc.Create(ctx, cmsObj(t, tt.fields(0)))
			is.NoErr(err)
			is.True(created.ID() != "")
			at, ok, err := created.Time("created")
			is.NoErr(err)
			is.True(ok && at.Equal(start))
			got, err := svc.Get(ctx, created.ID())
			is.NoErr(err)
			is.Equal(got.Text(tt.keyLabel), slug(0))

			clock.Advance(time.Minute)
			updated, err := svc.Update(ctx, created.ID(), cmsObj(t, map[string]any{"language": "fr"}))
			is.NoErr(err)
			is.Equal(updated.Text("language"), "fr")
			is.Equal(updated.Text(tt.keyLabel), slug(0)) // not sent, kept

			_, err = svc.Create(ctx, cmsObj(t, tt.fields(0)))
			if tt.typ != hubspottest.BlogAuthors { // the author changed language: no conflict
				is.Equal(hubspot.StatusCode(err), http.StatusConflict)
			}
			found, err := svc.FindByKey(ctx, svc.Spec().KeyOf(*updated), time.Time{})
			is.NoErr(err)
			is.Equal(found.ID(), created.ID())

			batch, err := svc.BatchCreate(ctx, []hubspot.CMSObject{cmsObj(t, tt.fields(1)), cmsObj(t, tt.fields(2))})
			is.NoErr(err)
			is.Equal(len(batch), 2)
			_, err = svc.BatchCreate(ctx, []hubspot.CMSObject{cmsObj(t, tt.fields(3)), cmsObj(t, tt.fields(3))})
			if hubspot.StatusCode(err) != http.StatusConflict {
				t.Fatalf("a batch with a slug twice: %v, want a 409", err)
			}
			is.Equal(len(srv.LiveCMSDocs(tt.typ)), len(srv.CMSDocs(tt.typ)))

			in := cmsObj(t, map[string]any{"id": batch[0].ID(), "bio": "new", "metaDescription": "new"})
			up, err := svc.BatchUpdate(ctx, []hubspot.CMSObject{in})
			is.NoErr(err)
			is.Equal(up[0].ID(), batch[0].ID())

			clock.Advance(time.Minute)
			is.NoErr(svc.BatchArchive(ctx, []string{batch[0].ID(), batch[1].ID()}))
			is.NoErr(svc.Delete(ctx, created.ID()))
			is.True(hubspot.IsNotFound(svc.Delete(ctx, created.ID())))
			page, err := svc.List(ctx, hubspot.CMSListOptions{Archived: true, Sort: []string{"updatedAt", "id"}})
			is.NoErr(err)
			is.Equal(len(page.Results), 3)
			del, ok, err := page.Results[0].Time(tt.deleted)
			is.NoErr(err)
			is.True(ok && del.Equal(start.Add(2*time.Minute)))
		})
	}
}

func slug(i int) string { return "item-" + string(rune('a'+i)) }
