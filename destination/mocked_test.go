package destination

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

// mockedSchemas are the properties the mocked HubSpot declares, by resource.
func mockedSchemas() map[string][]hubspot.Property {
	return map[string][]hubspot.Property{
		"contacts": {{Name: "email", Type: "string"}, {Name: "firstname", Type: "string"}},
		"deals":    {{Name: "dealname", Type: "string"}, {Name: "amount", Type: "number"}},
	}
}

// newMocked opens a destination of resource, upserting on idProperty when
// it is set, whose HubSpot is mocks: it goes through the checks Open makes
// once it has a client, and reads the properties once, as Open does.
func newMocked(t *testing.T, resource, idProperty string) (*Destination, *mock.MockObjectWriter) {
	t.Helper()
	ctrl := gomock.NewController(t)
	objects, properties := mock.NewMockObjectWriter(ctrl), mock.NewMockPropertyLister(ctrl)
	res, err := hubspot.LookupResource(resource)
	if err != nil {
		t.Fatal(err)
	}
	properties.EXPECT().List(gomock.Any(), res.Name).Return(mockedSchemas()[res.Name], nil)
	d := NewDestination()
	d.config.IDProperty = idProperty
	if err := d.open(context.Background(), res, objects, properties); err != nil {
		t.Fatal(err)
	}
	return d, objects
}

// wantWrite writes recs and wants n of them written, and an error that
// starts with prefix, or none when prefix is "".
func wantWrite(t *testing.T, d *Destination, recs []opencdc.Record, n int, prefix string) {
	t.Helper()
	_ = wantWriteErr(t, d, recs, n, prefix)
}

// wantWriteErr is wantWrite that returns Write's error, for a test to look
// into.
func wantWriteErr(t *testing.T, d *Destination, recs []opencdc.Record, n int, prefix string) error {
	t.Helper()
	got, err := d.Write(context.Background(), recs)
	if got != n || (prefix == "") != (err == nil) || err != nil && !strings.HasPrefix(err.Error(), prefix) {
		t.Fatalf("Write = %d, %v; want %d and an error starting %q", got, err, n, prefix)
	}
	return err
}

// createRec is a create of a contact with email, keyed k<pos>.
func createRec(pos, email string) opencdc.Record {
	return opencdc.Record{Position: opencdc.Position(pos), Operation: opencdc.OperationCreate, Key: opencdc.RawData("k" + pos),
		Payload: opencdc.Change{After: opencdc.StructuredData{"email": email}}}
}

// createInputs are the inputs of a batch create of contacts with emails.
func createInputs(emails ...string) []hubspot.BatchInput {
	inputs := make([]hubspot.BatchInput, len(emails))
	for j, e := range emails {
		inputs[j] = hubspot.BatchInput{Properties: hubspot.Properties{"email": hubspot.String(e)}, ObjectWriteTraceID: traceID(j)}
	}
	return inputs
}

func contact(id, email string) hubspot.Object {
	return hubspot.Object{ID: id, Properties: hubspot.Properties{"email": hubspot.String(email)}}
}

// unnamedError is a per-input error of a 207 that names no input: no trace
// id, no id.
func unnamedError() hubspot.ErrorDetail {
	return hubspot.ErrorDetail{Status: "error", Category: "VALIDATION_ERROR", Message: "Property values were not valid"}
}

// TestAnswersWithoutTraceIDs: older rollouts answer a batch create or
// upsert with a 207 whose results and errors carry no objectWriteTraceId.
// Every input no error names was written; with an error that names none,
// results are matched to inputs by a unique value; where the answer cannot
// tell, the write stops at the first record whose fate is unknown. A record
// written after the one that stopped the write is not written again when
// Conduit delivers it again.
func TestAnswersWithoutTraceIDs(t *testing.T) {
	t.Run("no error: every input was written, and its id is remembered by email", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "")
		gomock.InOrder(
			objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("a@example.com", "b@example.com", "c@example.com")).
				Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{
					contact("103", "C@example.com"), contact("101", "a@example.com"), contact("102", "b@example.com")}}, nil),
			objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", []hubspot.BatchInput{
				{ID: "103", Properties: hubspot.Properties{"firstname": hubspot.String("u")}}}).
				Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{{ID: "103"}}}, nil),
		)
		wantWrite(t, d, []opencdc.Record{createRec("0", "a@example.com"), createRec("1", "b@example.com"), createRec("2", "c@example.com")}, 3, "")
		// The object created for key k2 is the one whose email matches.
		wantWrite(t, d, []opencdc.Record{updateRec("u", "k2")}, 1, "")
	})
	t.Run("an error naming no input: results matched by email", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "")
		objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("a@example.com", "b@example.com", "c@example.com")).
			Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{contact("103", "c@example.com"), contact("101", "a@example.com")},
				Errors: []hubspot.ErrorDetail{unnamedError()}, NumErrors: 1}, nil)
		recs := []opencdc.Record{createRec("0", "a@example.com"), createRec("1", "b@example.com"), createRec("2", "c@example.com")}
		wantWrite(t, d, recs, 1, "record 1 (position 1, key k1): HubSpot rejected the create: VALIDATION_ERROR: Property values were not valid")
		// c was written: its second delivery calls nothing.
		wantWrite(t, d, recs[2:], 1, "")
	})
	t.Run("upsert: an error naming its input by id, in another case", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "email")
		upsert := func(j int, email string) hubspot.BatchInput {
			return hubspot.BatchInput{ID: email, IDProperty: "email", Properties: hubspot.Properties{"email": hubspot.String(email)}, ObjectWriteTraceID: traceID(j)}
		}
		objects.EXPECT().BatchUpsert(gomock.Any(), "contacts", []hubspot.BatchInput{
			upsert(0, "a@example.com"), upsert(1, "b@example.com"), upsert(2, "c@example.com")}).
			Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{contact("103", "c@example.com"), contact("101", "a@example.com")},
				Errors: []hubspot.ErrorDetail{{Status: "error", Category: "VALIDATION_ERROR", Message: "bad",
					Context: map[string][]string{"ids": {"B@Example.com"}}}}, NumErrors: 1}, nil)
		recs := []opencdc.Record{createRec("0", "a@example.com"), createRec("1", "b@example.com"), createRec("2", "c@example.com")}
		wantWrite(t, d, recs, 1, "record 1 (position 1, key k1): HubSpot rejected the upsert: VALIDATION_ERROR: bad")
		wantWrite(t, d, recs[2:], 1, "")
	})
	t.Run("the answer cannot tell which of two equal deals was written", func(t *testing.T) {
		is := is.New(t)
		d, objects := newMocked(t, "deals", "")
		deal := func(pos, name string) opencdc.Record {
			return opencdc.Record{Position: opencdc.Position(pos), Operation: opencdc.OperationCreate, Key: opencdc.RawData("k" + pos),
				Payload: opencdc.Change{After: opencdc.StructuredData{"dealname": name}}}
		}
		input := func(j int, name string) hubspot.BatchInput {
			return hubspot.BatchInput{Properties: hubspot.Properties{"dealname": hubspot.String(name)}, ObjectWriteTraceID: traceID(j)}
		}
		objects.EXPECT().BatchCreate(gomock.Any(), "deals", []hubspot.BatchInput{input(0, "A"), input(1, "A"), input(2, "C")}).
			Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{
				{ID: "11", Properties: hubspot.Properties{"dealname": hubspot.String("A")}},
				{ID: "13", Properties: hubspot.Properties{"dealname": hubspot.String("C")}},
			}, Errors: []hubspot.ErrorDetail{unnamedError()}, NumErrors: 1}, nil)
		recs := []opencdc.Record{deal("0", "A"), deal("1", "A"), deal("2", "C")}
		err := wantWriteErr(t, d, recs, 0, "record 0 (position 0, key k0): create: HubSpot answered a batch create without trace ids")
		is.True(strings.Contains(err.Error(), "is unknown"))
		// C, matched one to one, was written: Conduit delivers it again
		// after the As, and it must not be created twice.
		wantWrite(t, d, recs[2:], 1, "")
	})
}

// TestUpdateOfAMergedIDBesideARejectedOne: in a batch update with an id
// merged into another object and an id HubSpot rejects, the survivor's
// result answers for the merged id, which counts as written although a
// record before it failed.
func TestUpdateOfAMergedIDBesideARejectedOne(t *testing.T) {
	d, objects := newMocked(t, "contacts", "")
	update := func(id, pos string) hubspot.BatchInput {
		return hubspot.BatchInput{ID: id, Properties: hubspot.Properties{"firstname": hubspot.String(pos)}}
	}
	objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", []hubspot.BatchInput{update("7", "a"), update("8", "b"), update("9", "c")}).
		Return(&hubspot.BatchResult{Status: "COMPLETE",
			Results: []hubspot.Object{{ID: "42"}, {ID: "7"}}, // 9 was merged into 42
			Errors: []hubspot.ErrorDetail{{Status: "error", Category: "OBJECT_NOT_FOUND", Message: "Object not found",
				Context: map[string][]string{"ids": {"8"}}}}, NumErrors: 1}, nil)
	recs := []opencdc.Record{updateRec("a", "7"), updateRec("b", "8"), updateRec("c", "9")}
	wantWrite(t, d, recs, 1, "record 1 (position b, key 8): HubSpot rejected the update: OBJECT_NOT_FOUND")
	wantWrite(t, d, recs[2:], 1, "")
}

// createAfterUpdateRefused writes an update that HubSpot applies and two
// creates whose call it refuses with refusal, after the client's retries,
// and wants the update counted and an error naming the first create. It
// returns that error.
func createAfterUpdateRefused(t *testing.T, refusal error) error {
	t.Helper()
	d, objects := newMocked(t, "contacts", "")
	gomock.InOrder(
		objects.EXPECT().BatchUpdate(gomock.Any(), "contacts", []hubspot.BatchInput{{ID: "7", Properties: hubspot.Properties{"firstname": hubspot.String("a")}}}).
			Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{{ID: "7"}}}, nil),
		objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("b@example.com", "c@example.com")).Return(nil, refusal),
	)
	recs := []opencdc.Record{updateRec("a", "7"), createRec("1", "b@example.com"), createRec("2", "c@example.com")}
	return wantWriteErr(t, d, recs, 1, "record 1 (position 1, key k1): create: hubspot: ")
}

// locked is HubSpot's 423 for a locked object, as the client returns it
// once its retries are spent.
func locked(path string) error {
	return &hubspot.ErrorResponse{StatusCode: http.StatusLocked, Method: http.MethodPost, Path: path,
		Status: "error", Category: "LOCKED", Message: "Object is locked"}
}

// TestLockedAfterRetries: a 423 that outlasted the client's retries refused
// the call, so HubSpot applied nothing: Write returns the records written
// before it and an error naming the first record of the call, looks
// nothing up, and halves nothing.
func TestLockedAfterRetries(t *testing.T) {
	t.Run("create after an update", func(t *testing.T) {
		err := createAfterUpdateRefused(t, locked("/crm/objects/2026-09/contacts/batch/create"))
		if !strings.Contains(err.Error(), "hubspot: POST /crm/objects/2026-09/contacts/batch/create: 423 LOCKED") {
			t.Fatalf("error %v, want the 423", err)
		}
	})
	t.Run("upsert", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "email")
		objects.EXPECT().BatchUpsert(gomock.Any(), "contacts", gomock.Len(2)).
			Return(nil, locked("/crm/objects/2026-09/contacts/batch/upsert"))
		wantWrite(t, d, []opencdc.Record{createRec("0", "a@example.com"), createRec("1", "b@example.com")}, 0, "record 0 (position 0, key k0): upsert: hubspot: POST /crm/objects/2026-09/contacts/batch/upsert: 423 LOCKED")
	})
}

// dailyLimit is HubSpot's 429 for an account whose daily quota is spent,
// which the client never retries.
func dailyLimit(path string) error {
	return &hubspot.ErrorResponse{StatusCode: http.StatusTooManyRequests, Method: http.MethodPost, Path: path,
		Status: "error", ErrorType: "RATE_LIMIT", PolicyName: "DAILY", Message: "You have reached your daily limit.", DailyLimit: 250000}
}

// wantDaily wants err to be the daily limit's, saying so.
func wantDaily(t *testing.T, err error) {
	t.Helper()
	if !hubspot.IsDailyLimit(err) || !strings.Contains(err.Error(), "the account's daily API limit of 250000 requests is spent") {
		t.Fatalf("error %v, want the daily limit's", err)
	}
}

// TestDailyLimit: a DAILY 429 ends the write: Write counts only what
// HubSpot wrote, its error says the daily limit is spent, and the
// destination sends nothing again itself, neither the refused call nor a
// create whose answer was lost.
func TestDailyLimit(t *testing.T) {
	lost := &hubspot.ErrorResponse{StatusCode: http.StatusBadGateway, Method: http.MethodPost, Path: "/crm/objects/2026-09/contacts/batch/create"}
	lookup := hubspot.BatchReadRequest{IDs: []string{"a@example.com", "b@example.com"}, IDProperty: "email", Properties: []string{"email"}}
	recs := []opencdc.Record{createRec("0", "a@example.com"), createRec("1", "b@example.com")}
	t.Run("the create is refused", func(t *testing.T) {
		err := createAfterUpdateRefused(t, dailyLimit("/crm/objects/2026-09/contacts/batch/create"))
		wantDaily(t, err)
	})
	t.Run("the look-up after a lost answer is refused", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "")
		gomock.InOrder(
			objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("a@example.com", "b@example.com")).Return(nil, lost),
			objects.EXPECT().BatchRead(gomock.Any(), "contacts", lookup).Return(nil, dailyLimit("/crm/objects/2026-09/contacts/batch/read")),
		)
		err := wantWriteErr(t, d, recs, 0, "record 0 (position 0, key k0): create: look up which objects HubSpot created")
		wantDaily(t, err)
	})
	t.Run("the create of what the look-up did not find is refused", func(t *testing.T) {
		d, objects := newMocked(t, "contacts", "")
		gomock.InOrder(
			objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("a@example.com", "b@example.com")).Return(nil, lost),
			objects.EXPECT().BatchRead(gomock.Any(), "contacts", lookup).
				Return(&hubspot.BatchResult{Status: "COMPLETE", Results: []hubspot.Object{contact("101", "a@example.com")}}, nil),
			objects.EXPECT().BatchCreate(gomock.Any(), "contacts", createInputs("b@example.com")).
				Return(nil, dailyLimit("/crm/objects/2026-09/contacts/batch/create")),
		)
		err := wantWriteErr(t, d, recs, 1, "record 1 (position 1, key k1): create: ") // a was created before the answer was lost
		wantDaily(t, err)
	})
}
