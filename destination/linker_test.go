package destination

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/mock"
	"github.com/golang/mock/gomock"
	"github.com/matryer/is"
)

// TestLinkWriteFailures: how the linker reads what HubSpot answers a
// batch of default links of two deals, 1 to company 7 and 2 to company 8:
// which jobs fail, and which links wait. The answers' shapes are guesses
// (docs/associations.md: per-input errors of writes are not documented),
// so the linker is strict: an error it cannot place fails every job of
// the call.
func TestLinkWriteFailures(t *testing.T) {
	pairError := func(category, from, to string) hubspot.ErrorDetail {
		return hubspot.ErrorDetail{Category: category, Message: "no", Context: map[string][]string{"fromObjectId": {from}, "toObjectId": {to}}}
	}
	tests := []struct {
		name        string
		res         *hubspot.AssociationsWrite
		err         error
		wantErrs    map[int]string // job -> start of its error
		wantPending int
	}{
		{"all linked", &hubspot.AssociationsWrite{}, nil, map[int]string{}, 0},
		{"a linked object not found waits", &hubspot.AssociationsWrite{Errors: []hubspot.ErrorDetail{pairError("OBJECT_NOT_FOUND", "2", "8")}}, nil, map[int]string{}, 1},
		{"a refused link fails its job", &hubspot.AssociationsWrite{Errors: []hubspot.ErrorDetail{pairError("VALIDATION_ERROR", "2", "8")}}, nil,
			map[int]string{1: `HubSpot refused the link to companies "8": `}, 0},
		{"an error naming no link fails every job", &hubspot.AssociationsWrite{Errors: []hubspot.ErrorDetail{{Category: "VALIDATION_ERROR", Message: "no"}}}, nil,
			map[int]string{0: "HubSpot refused a link to companies without saying which", 1: "HubSpot refused a link to companies without saying which"}, 0},
		{"a failed call fails every job", nil, errors.New("503"), map[int]string{0: "503", 1: "503"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			assoc := mock.NewMockLinkWriter(gomock.NewController(t))
			assoc.EXPECT().AssociateDefault(gomock.Any(), "deals", "companies", []hubspot.AssociationPair{{FromID: "1", ToID: "7"}, {FromID: "2", ToID: "8"}}).Return(tc.res, tc.err)
			l := newLinker(assoc, nil, Config{AssociationsWait: time.Minute}, time.Now)
			jobs := []linkJob{
				{fromID: "1", links: linkSet{"companies": {{key: "7"}}}, position: "p1"},
				{fromID: "2", links: linkSet{"companies": {{key: "8"}}}, position: "p2"},
			}
			errs := l.apply(context.Background(), "deals", jobs, false)
			is.Equal(len(errs), len(tc.wantErrs))
			for j, want := range tc.wantErrs {
				is.True(errs[j] != nil)
				is.True(strings.HasPrefix(errs[j].Error(), want))
			}
			is.Equal(len(l.pending), tc.wantPending)
		})
	}
}
