package hubspottest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// SearchBodyLimit is the most characters of a search body that
// WithSearchBodyLimit lets through: hubspot.SearchBodyLimit, HubSpot's
// search guide's limit.
const SearchBodyLimit = hubspot.SearchBodyLimit

// WithSearchBodyLimit makes search refuse a request body over
// SearchBodyLimit characters with a 400, as HubSpot's search guide says
// it does. Off by default: other connectors' reports say HubSpot takes
// larger bodies, and the source sends its whole property catalog.
func WithSearchBodyLimit() Option { return func(c *config) { c.searchBodyLimit = SearchBodyLimit } }

// checkSearchBodySize refuses a search body over the server's limit (none
// by default), leaving the body readable again for the handler.
func (s *Server) checkSearchBodySize(r *http.Request) *apiError {
	if s.searchBodyLimit == 0 {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return badRequest("Could not read the request body")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if n := utf8.RuneCount(body); n > s.searchBodyLimit {
		// The guide gives the status, not the body: this one, HubSpot's
		// usual VALIDATION_ERROR shape with a message that names the
		// limit, is a guess.
		return badRequest(fmt.Sprintf("Request payload of %d characters exceeds the maximum of %d characters", n, s.searchBodyLimit))
	}
	return nil
}
