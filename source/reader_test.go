package source

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

// These tests stage HubSpot answers that the simulator does not give on
// demand, through mocks of the clients. The clock stands still at at(0),
// the initial timestamp of a new source.

const pageSize = 10

// at is a time this many milliseconds after the tests' start.
func at(ms int) time.Time { return time.Date(2026, 5, 6, 7, 8, 9, ms*int(time.Millisecond), time.UTC) }

// mocked is a source whose reader calls HubSpot through mocks.
type mocked struct {
	cfg        readerConfig
	objects    *mock.MockObjectReader
	owners     *mock.MockOwnerReader
	properties *mock.MockSourcePropertyLister
}

// mockedProperties are the properties HubSpot lists for the mocked
// resource: its default ones, as strings.
func (m mocked) mockedProperties() []hubspot.Property {
	var out []hubspot.Property
	for _, name := range m.cfg.resource.Properties(nil) {
		out = append(out, hubspot.Property{Name: name, Type: "string", FieldType: "text"})
	}
	return out
}

// names are the properties the mocked source asks for: every one listed,
// and the ones it always reads.
func (m mocked) names() []string {
	names := slices.Concat(m.cfg.resource.Properties(nil), m.cfg.required)
	slices.Sort(names)
	return slices.Compact(names)
}

// openMocked opens a new source of resource without snapshot, deletes and
// look-backs, so that each test stages only the calls it is about.
func openMocked(t *testing.T, resource string) (mocked, *Source) {
	t.Helper()
	var c Config
	c.Resource = resource
	c.BufferSize = pageSize
	cfg, err := c.onlyReaderConfig()
	if err != nil {
		t.Fatal(err)
	}
	ctrl := gomock.NewController(t)
	m := mocked{cfg: cfg, objects: mock.NewMockObjectReader(ctrl), owners: mock.NewMockOwnerReader(ctrl), properties: mock.NewMockSourcePropertyLister(ctrl)}
	return m, m.open(t, nil)
}

// open starts a source at pos, expecting Open's access check first.
func (m mocked) open(t *testing.T, pos *Position) *Source {
	t.Helper()
	if m.cfg.resource.IsOwners {
		m.owners.EXPECT().List(gomock.Any(), hubspot.OwnerListOptions{Limit: 1}).Return(&hubspot.OwnerPage{}, nil)
	} else {
		m.objects.EXPECT().List(gomock.Any(), m.cfg.resource.Name, hubspot.ListOptions{Limit: 1}).Return(&hubspot.ObjectPage{}, nil)
		m.properties.EXPECT().List(gomock.Any(), m.cfg.resource.Name).Return(m.mockedProperties(), nil)
	}
	s := NewSource(WithClock(hubspottest.NewManualClock(at(0))))
	svc := services{objects: m.objects, owners: m.owners, properties: m.properties}
	if err := s.checkAccess(context.Background(), m.cfg.resource, svc); err != nil {
		t.Fatal(err)
	}
	if err := s.start(context.Background(), m.cfg, svc, pos); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Teardown(context.Background()) })
	return s
}

// search expects a search for the contacts changed after ts, or (sameTS)
// for the ones changed at ts with ids after id, and answers it.
func (m mocked) search(sameTS bool, ts time.Time, id uint64, after string, page *hubspot.SearchPage, err error) *gomock.Call {
	ms := strconv.FormatInt(ts.UnixMilli(), 10)
	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: "lastmodifieddate", Operator: hubspot.OperatorGT, Value: ms},
		}}},
		Sorts:      []hubspot.Sort{{PropertyName: "lastmodifieddate", Direction: hubspot.Ascending}},
		Properties: m.names(), Limit: pageSize, After: after,
	}
	if sameTS {
		req.FilterGroups = []hubspot.FilterGroup{{Filters: []hubspot.Filter{
			{PropertyName: "lastmodifieddate", Operator: hubspot.OperatorEQ, Value: ms},
			{PropertyName: "hs_object_id", Operator: hubspot.OperatorGT, Value: strconv.FormatUint(id, 10)},
		}}}
		req.Sorts = []hubspot.Sort{{PropertyName: "hs_object_id", Direction: hubspot.Ascending}}
	}
	return m.objects.EXPECT().Search(gomock.Any(), "contacts", sameSearch{req}).Return(page, err)
}

// sameSearch matches a search that asks what want asks, its properties
// named or given as columns.
type sameSearch struct{ want hubspot.SearchRequest }

func (m sameSearch) Matches(x any) bool {
	got, ok := x.(hubspot.SearchRequest)
	if !ok {
		return false
	}
	got.Properties, got.Columns = got.Names(), nil
	return reflect.DeepEqual(got, m.want)
}

func (m sameSearch) String() string { return fmt.Sprintf("asks what %+v asks", m.want) }

func contact(id int, createdAt, modified time.Time, props ...string) hubspot.Object {
	o := hubspot.Object{ID: strconv.Itoa(id), CreatedAt: createdAt, UpdatedAt: modified, Properties: hubspot.Properties{}}
	for i := 0; i+1 < len(props); i += 2 {
		o.Properties[props[i]] = hubspot.String(props[i+1])
	}
	return o
}

func searchPage(next string, objs ...hubspot.Object) *hubspot.SearchPage {
	p := &hubspot.SearchPage{Total: len(objs), Results: objs}
	if next != "" {
		p.Paging = &hubspot.Paging{Next: &hubspot.NextPage{After: next}}
	}
	return p
}

// emitted is what a test checks of a record.
type emitted struct {
	op         opencdc.Operation
	id         string
	updatedAt  string // of the object, in the metadata
	mergedInto string
	// the position's keyset
	posTimestamp string
	posItemID    string
}

func summarize(t *testing.T, recs []opencdc.Record) []emitted {
	t.Helper()
	out := make([]emitted, len(recs))
	for i, r := range recs {
		pos, err := ParsePosition(r.Position)
		if err != nil {
			t.Fatal(err)
		}
		e := emitted{
			op: r.Operation, id: r.Key.(opencdc.StructuredData)[record.FieldID].(string),
			updatedAt: r.Metadata[record.MetadataUpdatedAt], mergedInto: r.Metadata[record.MetadataMergedInto],
			posItemID: pos.ItemID,
		}
		if pos.Timestamp != nil {
			e.posTimestamp = record.FormatTime(*pos.Timestamp)
		}
		out[i] = e
	}
	return out
}

func readN(t *testing.T, s *Source) []emitted {
	t.Helper()
	recs, err := s.ReadN(context.Background(), 100)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return summarize(t, recs)
}

func ts(ms int) string { return record.FormatTime(at(ms)) }

// TestShortAndEmptySearchPagesWithNext: HubSpot returns short pages, and
// even empty ones, in the middle of a search; paging.next alone says more
// is to come. A short page is no end, and an empty one is paged through
// with after within the same query.
func TestShortAndEmptySearchPagesWithNext(t *testing.T) {
	is := is.New(t)
	m, s := openMocked(t, "contacts")
	gomock.InOrder(
		m.search(true, at(0), 0, "", searchPage(""), nil),
		m.search(false, at(0), 0, "", searchPage("2",
			contact(11, at(1), at(1)), contact(12, at(-9), at(2))), nil),
		m.search(true, at(2), 0, "", searchPage("7"), nil),
		m.search(true, at(2), 0, "7", searchPage("",
			contact(12, at(-9), at(2)), contact(13, at(-9), at(2))), nil),
	)
	// The short page ends inside the time group of 12: it is read whole,
	// by id, before 12 is emitted.
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationCreate, id: "11", updatedAt: ts(1), posTimestamp: ts(1), posItemID: "11"},
	})
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationUpdate, id: "12", updatedAt: ts(2), posTimestamp: ts(2), posItemID: "12"},
		{op: opencdc.OperationUpdate, id: "13", updatedAt: ts(2), posTimestamp: ts(2), posItemID: "13"},
	})
}

// TestMergedIDBecomesDelete: a survivor lists the ids it absorbed in
// hs_merged_object_ids. Each absorbed id gets one delete, before the
// survivor's record and at the position before it, so that a restart reads
// the survivor and its merge again; later versions of the survivor list it
// still, without another delete.
func TestMergedIDBecomesDelete(t *testing.T) {
	is := is.New(t)
	m, s := openMocked(t, "contacts")
	gomock.InOrder(
		m.search(true, at(0), 0, "", searchPage("",
			contact(20, at(-9), at(0), hubspot.MergedIDsProperty, "20;15")), nil),
		m.search(false, at(0), 0, "", searchPage("",
			contact(20, at(-9), at(9), hubspot.MergedIDsProperty, "20;15")), nil),
	)
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationDelete, id: "15", updatedAt: "", mergedInto: "20"},
		{op: opencdc.OperationUpdate, id: "20", updatedAt: ts(0), posTimestamp: ts(0), posItemID: "20"},
	})
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationUpdate, id: "20", updatedAt: ts(9), posTimestamp: ts(9), posItemID: "20"},
	})
}

// TestDailyLimitReachesRead: a spent daily quota fails the read with an
// error that says so, after the one request: every further one would be
// refused until midnight and spend nothing but the account's patience.
func TestDailyLimitReachesRead(t *testing.T) {
	is := is.New(t)
	m, s := openMocked(t, "contacts")
	m.search(true, at(0), 0, "", nil, &hubspot.ErrorResponse{
		StatusCode: http.StatusTooManyRequests, Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts/search",
		Status: "error", Message: "You have reached your daily limit.", ErrorType: "RATE_LIMIT", PolicyName: "DAILY",
	})
	_, err := s.ReadN(context.Background(), 100)
	is.True(hubspot.IsDailyLimit(err))
	is.True(strings.Contains(err.Error(), "read changes: "))
	is.True(strings.Contains(err.Error(), "daily API limit"))
}

// TestLockedSearchResumes: a 423 that outlasted the client's retries ends
// the read with an error naming what failed; reopened at the last record's
// position, the source reads on from there and loses nothing.
func TestLockedSearchResumes(t *testing.T) {
	is := is.New(t)
	m, s := openMocked(t, "contacts")
	locked := &hubspot.ErrorResponse{
		StatusCode: http.StatusLocked, Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts/search",
		Status: "error", Category: "LOCKED", Message: "The resource is locked.",
	}
	gomock.InOrder(
		m.search(true, at(0), 0, "", searchPage("", contact(3, at(0), at(0))), nil),
		m.search(false, at(0), 0, "", searchPage("1",
			contact(4, at(-9), at(1)), contact(5, at(2), at(2))), nil),
		m.search(true, at(2), 0, "", nil, locked),
	)
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationCreate, id: "3", updatedAt: ts(0), posTimestamp: ts(0), posItemID: "3"},
	})
	recs, err := s.ReadN(context.Background(), 100)
	is.NoErr(err)
	is.Equal(summarize(t, recs), []emitted{
		{op: opencdc.OperationUpdate, id: "4", updatedAt: ts(1), posTimestamp: ts(1), posItemID: "4"},
	})
	_, err = s.ReadN(context.Background(), 100)
	is.Equal(hubspot.StatusCode(err), http.StatusLocked)
	is.True(strings.HasPrefix(err.Error(), "read changes: "))

	last, err := ParsePosition(recs[len(recs)-1].Position)
	is.NoErr(err)
	s = m.open(t, last)
	gomock.InOrder(
		m.search(true, at(1), 4, "", searchPage(""), nil),
		m.search(false, at(1), 0, "", searchPage("", contact(5, at(2), at(2))), nil),
	)
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationCreate, id: "5", updatedAt: ts(2), posTimestamp: ts(2), posItemID: "5"},
	})
}

// TestOwnersPolls: owners have no search, so each poll lists them all and
// emits the ones changed since the last poll, in (updatedAt, id) order.
func TestOwnersPolls(t *testing.T) {
	is := is.New(t)
	m, s := openMocked(t, "owners")
	owner := func(id int, createdAt, updatedAt time.Time) hubspot.Owner {
		return hubspot.Owner{ID: strconv.Itoa(id), Email: "o" + strconv.Itoa(id) + "@example.com", CreatedAt: createdAt, UpdatedAt: updatedAt}
	}
	list := func(after, next string, owners ...hubspot.Owner) *gomock.Call {
		p := &hubspot.OwnerPage{Results: owners}
		if next != "" {
			p.Paging = &hubspot.Paging{Next: &hubspot.NextPage{After: next}}
		}
		return m.owners.EXPECT().List(gomock.Any(), hubspot.OwnerListOptions{Limit: pageSize, After: after}).Return(p, nil)
	}
	gomock.InOrder(
		list("", "3", owner(3, at(-9), at(2)), owner(2, at(-9), at(-5))),
		list("3", "", owner(1, at(1), at(1))),
		list("", "", owner(1, at(1), at(1)), owner(2, at(-9), at(7)), owner(3, at(-9), at(2))),
	)
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationCreate, id: "1", updatedAt: ts(1), posTimestamp: ts(1), posItemID: "1"},
		{op: opencdc.OperationUpdate, id: "3", updatedAt: ts(2), posTimestamp: ts(2), posItemID: "3"},
	})
	is.Equal(readN(t, s), []emitted{
		{op: opencdc.OperationUpdate, id: "2", updatedAt: ts(7), posTimestamp: ts(7), posItemID: "2"},
	})
}
