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

// TestListsRoundTrip: at every version, the client creates a list at the
// version's path, adds and removes members, reads them by id and in join
// order, page by page, renames, deletes and restores the list, and the
// search's default properties follow each change.
func TestListsRoundTrip(t *testing.T) {
	paths := map[hubspot.APIVersion]string{
		hubspot.Version202609: "POST /crm/lists/2026-09/search",
		hubspot.Version202603: "POST /crm/lists/2026-03/search",
		hubspot.VersionLegacy: "POST /crm/v3/lists/search",
	}
	for _, v := range hubspot.APIVersions() {
		t.Run(string(v), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			clock := hubspottest.NewManualClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			srv := newSim(t, hubspottest.WithClock(clock))
			svc := simClient(t, srv, hubspot.WithAPIVersion(v)).Lists
			ids, err := srv.Seed("contacts", 7, nil)
			is.NoErr(err)

			l, err := svc.Create(ctx, hubspot.ListCreateRequest{Name: "VIP", ObjectTypeID: "0-1", ProcessingType: hubspot.ListManual})
			is.NoErr(err)
			is.Equal(l.ProcessingType, hubspot.ListManual)
			// Added in reverse: join order differs from id order.
			for i := len(ids) - 1; i >= 0; i-- {
				up, err := svc.AddMembers(ctx, l.ListID, ids[i])
				is.NoErr(err)
				is.Equal(up.Added, []string{ids[i]})
				clock.Advance(time.Second)
			}
			up, err := svc.AddMembers(ctx, l.ListID, "999999999", ids[0])
			is.NoErr(err)
			is.Equal(up.Missing, []string{"999999999"}) // a member already is ignored
			is.Equal(len(up.Added), 0)

			byID := readMembers(t, svc.Members, l.ListID)
			is.Equal(byID, ids)
			byJoin := readMembers(t, svc.JoinOrder, l.ListID)
			is.Equal(byJoin[0], ids[6])
			is.Equal(byJoin[6], ids[0])

			page, err := svc.Search(ctx, hubspot.ListSearchRequest{Count: hubspot.MaxListSearchCount})
			is.NoErr(err)
			is.Equal(srv.Calls()[paths[v]], 1)
			is.Equal(len(page.Lists), 1)
			props := page.Lists[0].AdditionalProperties
			is.Equal(props[hubspot.ListPropSize], "7")
			is.True(props[hubspot.ListPropLastAddedAt] != "")
			_, removed := props[hubspot.ListPropLastRemovedAt]
			is.True(!removed) // never removed: the property is left out

			up, err = svc.RemoveMembers(ctx, l.ListID, ids[2])
			is.NoErr(err)
			is.Equal(up.Removed, []string{ids[2]})
			is.NoErr(svc.Rename(ctx, l.ListID, "Very VIP"))
			got, err := svc.Get(ctx, l.ListID)
			is.NoErr(err)
			is.Equal(got.Name, "Very VIP")
			is.Equal(*got.Size, int64(6))

			is.NoErr(svc.Delete(ctx, l.ListID))
			_, err = svc.Get(ctx, l.ListID)
			is.Equal(hubspot.StatusCode(err), http.StatusNotFound)
			page, err = svc.Search(ctx, hubspot.ListSearchRequest{})
			is.NoErr(err)
			is.Equal(len(page.Lists), 0) // deleted lists are left out by default
			is.NoErr(svc.Restore(ctx, l.ListID))
			is.Equal(len(readMembers(t, svc.Members, l.ListID)), 6)
		})
	}
}

// TestListSearchPagesAndDeleted: the search pages by offset up to 500 a
// page, refuses more, and lists deleted lists with deletedAt under
// WithDeletedListsInSearch.
func TestListSearchPagesAndDeleted(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithDeletedListsInSearch())
	svc := simClient(t, srv).Lists
	for i := range 5 {
		srv.CreateList("L"+string(rune('a'+i)), "0-1", hubspot.ListDynamic)
	}
	var seen []string
	for offset := 0; ; {
		page, err := svc.Search(ctx, hubspot.ListSearchRequest{Offset: offset, Count: 2})
		is.NoErr(err)
		is.Equal(page.Total, 5)
		for _, l := range page.Lists {
			seen = append(seen, l.ListID)
		}
		if !page.HasMore {
			break
		}
		offset = page.Offset
	}
	is.Equal(len(seen), 5)
	_, err := svc.Search(ctx, hubspot.ListSearchRequest{Count: 501})
	is.Equal(hubspot.StatusCode(err), http.StatusBadRequest)

	is.NoErr(svc.Delete(ctx, seen[1]))
	page, err := svc.Search(ctx, hubspot.ListSearchRequest{ListIDs: []string{seen[1]}})
	is.NoErr(err)
	is.Equal(len(page.Lists), 1)
	is.True(page.Lists[0].DeletedAt != nil)
	_, err = svc.AddMembers(ctx, seen[0], "1")
	is.Equal(hubspot.StatusCode(err), http.StatusBadRequest) // a DYNAMIC list's members follow its filters
}

// readMembers reads a list's members, 3 a page, by read.
func readMembers(t *testing.T, read func(context.Context, string, string, int) (*hubspot.MemberPage, error), listID string) []string {
	t.Helper()
	var out []string
	after := ""
	for {
		page, err := read(context.Background(), listID, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Members) > 3 {
			t.Fatalf("a page of %d members, asked for 3", len(page.Members))
		}
		for _, m := range page.Members {
			out = append(out, m.RecordID)
		}
		if after = page.After; after == "" {
			return out
		}
	}
}
