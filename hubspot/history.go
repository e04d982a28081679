package hubspot

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// MaxHistoryLimit is the most objects one request reads when it asks for
// propertiesWithHistory: a list page, and (a guess, see docs/hubspot.md,
// "Property history") a batch read. The CRM objects spec says that the
// parameter "will reduce the maximum number of objects that can be read
// by a single request" without a number
// (PublicApiSpecs/CRM/Objects/Rollouts/424/2026-09/objects.json, GET
// /crm/objects/2026-09/{objectType}); a page of 100 is a 400
// (https://github.com/HubSpot/hubspot-api-python/issues/143), and 50 is
// the page integrators read it with
// (https://github.com/dlt-hub/verified-sources/pull/206).
const MaxHistoryLimit = 50

// ValueWithTimestamp is one value a property held, as propertiesWithHistory
// returns it (ValueWithTimestamp in the CRM objects spec): the value, when
// it was set, and what set it.
type ValueWithTimestamp struct {
	Value       string    `json:"value"`
	Timestamp   time.Time `json:"timestamp"`
	SourceType  string    `json:"sourceType"`
	SourceID    string    `json:"sourceId,omitempty"`
	SourceLabel string    `json:"sourceLabel,omitempty"`
	// UpdatedByUserID is the user who set it; nil when HubSpot names none.
	UpdatedByUserID *int64 `json:"updatedByUserId,omitempty"`
}

// historyLimit is the page size of a list that asks for history: 0 means
// MaxHistoryLimit, and more than that is refused before HubSpot refuses it.
func historyLimit(limit int, history []string) (int, error) {
	if len(history) == 0 {
		return limit, nil
	}
	switch {
	case limit == 0:
		return MaxHistoryLimit, nil
	case limit > MaxHistoryLimit:
		return 0, fmt.Errorf("limit %d: at most %d objects a page with propertiesWithHistory", limit, MaxHistoryLimit)
	}
	return limit, nil
}

// setHistory asks for the properties' histories in a query.
func setHistory(q url.Values, props []string) {
	if len(props) > 0 {
		q.Set("propertiesWithHistory", strings.Join(props, ","))
	}
}

// batchSize is how many inputs one batch read takes: fewer with history.
func batchSize(history []string) int {
	if len(history) > 0 {
		return MaxHistoryLimit
	}
	return MaxBatchInputs
}
