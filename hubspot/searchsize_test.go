package hubspot_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/matryer/is"
)

// TestSearchMayBeTooLarge: only a 400 to a body over 3,000 characters may
// be HubSpot refusing a search for its size.
func TestSearchMayBeTooLarge(t *testing.T) {
	small := hubspot.SearchRequest{Properties: []string{"lastmodifieddate"}, Limit: 200}
	large := hubspot.SearchRequest{Properties: strings.Split(strings.Repeat("hs_property_name,", 200), ","), Limit: 200}
	refused := func(status int) error {
		return fmt.Errorf("search contacts: %w", &hubspot.ErrorResponse{StatusCode: status, Category: "VALIDATION_ERROR"})
	}
	tests := []struct {
		name string
		req  hubspot.SearchRequest
		err  error
		want bool
	}{
		{"400, large body", large, refused(400), true},
		{"400, small body", small, refused(400), false},
		{"429, large body", large, refused(429), false},
		{"network error, large body", large, errors.New("connection reset"), false},
		{"no error, large body", large, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			is.True(large.BodyChars() > hubspot.SearchBodyLimit)
			is.True(small.BodyChars() < hubspot.SearchBodyLimit)
			is.Equal(tt.req.MayBeTooLarge(tt.err), tt.want)
		})
	}
}
