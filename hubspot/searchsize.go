package hubspot

import (
	"encoding/json"
	"net/http"
	"unicode/utf8"
)

// SearchBodyLimit is the most characters of a search request body that
// HubSpot's CRM search guide allows: its Limitations section says a body
// over 3,000 characters gets a 400
// (developers.hubspot.com/docs/api-reference/search/guide).
// Other connectors send every property in search bodies of far more than
// that without trouble (Airbyte's source-hubspot), so a caller sends what
// it needs and falls back only when HubSpot refuses.
const SearchBodyLimit = 3000

// BodyChars is how many characters the request's body has as the client
// sends it.
func (r SearchRequest) BodyChars() int {
	b, err := json.Marshal(r)
	if err != nil {
		return 0 // a request that does not encode is never sent
	}
	return utf8.RuneCount(b)
}

// MayBeTooLarge says whether err, the answer to the search r, may be
// HubSpot refusing r for its size: a 400 to a body over SearchBodyLimit.
// The guide names the status, not the body of the error, so the message
// is not matched; a caller checks by sending a smaller search.
func (r SearchRequest) MayBeTooLarge(err error) bool {
	return StatusCode(err) == http.StatusBadRequest && r.BodyChars() > SearchBodyLimit
}
