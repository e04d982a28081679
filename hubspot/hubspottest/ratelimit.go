package hubspottest

import (
	"maps"
	"strconv"
	"time"
)

// rateState is what the server counts for its rate limits.
type rateState struct {
	burst []time.Time // accepted requests inside the rolling window, oldest first
	// search holds the accepted searches inside the search window, by
	// what the limit counts them for: the account ("") or each token
	// (WithSearchLimitPerToken).
	search   map[string][]time.Time
	day      string // the day, in the account's time zone, that dayCount counts
	dayCount int

	// searches counts the search requests that met the search limit,
	// refused ones too; searchRefused the ones it refused.
	searches, searchRefused int
}

// rateLimitBody is HubSpot's 429 answer. For the search limit it is the
// body HubSpot answered a search over it with: policyName SECONDLY and
// "You have reached your secondly limit.", as quoted in
// github.com/HGData/mk-node-hubspot/issues/89 and pull/84. HubSpot's search
// guide names the limit (developers.hubspot.com/docs/api-reference/search/guide,
// "Limitations") but shows no body; that quoted one also carried a
// requestId and a groupName, which the simulator leaves out (no client
// reads them).
type rateLimitBody struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	PolicyName    string `json:"policyName"`
}

func limitedBy(policy, window string) *rateLimitBody {
	return &rateLimitBody{Status: "error", ErrorType: "RATE_LIMIT", PolicyName: policy,
		Message: "You have reached your " + window + " limit."}
}

// admit counts a request against the limits, or refuses it. It returns the
// rate-limit headers to send (none for search, as HubSpot sends none) and
// the 429 body when refused. Refused requests do not count. The 10-second
// limit is the app's, an OAuth app's (app) or the private app's (nil); the
// daily limit is the account's, shared by every app (docs/hubspot.md, "Rate limits").
// token is the request's bearer token, which the search limit counts
// searches by under WithSearchLimitPerToken. Searches are exempt from the
// 10-second limit, not from the daily one: HubSpot's specs mark every
// search operation "x-hubspot-rate-limit-exemptions": ["ten-secondly"]
// (PublicApiSpecs/CRM/Contacts/Rollouts/424/2026-09/contacts.json in
// github.com/HubSpot/HubSpot-public-api-spec-collection).
// Callers hold s.mu.
func (s *Server) admit(search bool, app *oauthApp, token string) (map[string]string, *rateLimitBody) {
	now := s.now()
	st := s.todaysRequestsLocked()
	l := s.limits
	if search {
		if l.search > 0 {
			st.searches++
			if wait, ok := s.admitSearch(now, token); !ok {
				st.searchRefused++
				return s.retryAfter(nil, wait), limitedBy("SECONDLY", "secondly")
			}
		}
		st.dayCount++
		return nil, nil
	}
	burst, limit := &st.burst, l.burst
	if app != nil {
		burst, limit = &app.burst, l.oauthBurst
	}
	if l.daily > 0 && st.dayCount >= l.daily {
		return s.rateHeaders(*burst, limit), limitedBy("DAILY", "daily")
	}
	if limit > 0 {
		*burst = inWindow(*burst, now, l.window)
		if len(*burst) >= limit {
			return s.retryAfter(s.rateHeaders(*burst, limit), (*burst)[0].Add(l.window).Sub(now)), limitedBy("TEN_SECONDLY_ROLLING", "ten_secondly_rolling")
		}
		*burst = append(*burst, now)
	}
	st.dayCount++
	return s.rateHeaders(*burst, limit), nil
}

// admitSearch counts a search against the search limit, or says how long
// until the window frees a slot. HubSpot's documents disagree on what the
// limit counts: its search guide gives five requests per second per
// account (developers.hubspot.com/docs/api-reference/search/guide,
// "Limitations", as quoted in github.com/activepieces/activepieces/pull/10160),
// its changelog four per second per authentication token
// (developers.hubspot.com/changelog/crm-search-api-rate-limit-increase).
// The simulator is one account: by default every token of it shares the
// limit; WithSearchLimitPerToken counts each token apart. Callers hold s.mu.
func (s *Server) admitSearch(now time.Time, token string) (time.Duration, bool) {
	l, st := s.limits, &s.requests
	key := ""
	if l.searchPerToken {
		key = token
	}
	if st.search == nil {
		st.search = map[string][]time.Time{}
	}
	window := inWindow(st.search[key], now, l.searchWindow)
	if len(window) >= l.search {
		st.search[key] = window
		return window[0].Add(l.searchWindow).Sub(now), false
	}
	st.search[key] = append(window, now)
	return 0, true
}

// todaysRequestsLocked is the rate state with the daily count of today: a
// new day in the account's time zone starts it again, as HubSpot resets
// the quota at midnight there (https://developers.hubspot.com/apisbytier).
// Callers hold s.mu.
func (s *Server) todaysRequestsLocked() *rateState {
	st := &s.requests
	if day := s.now().In(s.zone).Format(time.DateOnly); day != st.day {
		st.day, st.dayCount = day, 0
	}
	return st
}

// retryAfter adds a Retry-After of wait, in whole seconds rounded up, to the
// headers of a 429 when the server sends one.
func (s *Server) retryAfter(headers map[string]string, wait time.Duration) map[string]string {
	if !s.limits.retryAfter {
		return headers
	}
	out := maps.Clone(headers)
	if out == nil {
		out = map[string]string{}
	}
	out["Retry-After"] = strconv.FormatInt(int64(max(1, (wait+time.Second-1)/time.Second)), 10)
	return out
}

// inWindow drops the times that are a full window old or older.
func inWindow(times []time.Time, now time.Time, window time.Duration) []time.Time {
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-window)) {
		cut++
	}
	return times[cut:]
}

// rateHeaders are the rate-limit headers of an app whose window holds burst
// of its limit.
func (s *Server) rateHeaders(burst []time.Time, limit int) map[string]string {
	l, st := s.limits, &s.requests
	h := map[string]string{}
	if limit > 0 {
		h["X-HubSpot-RateLimit-Max"] = strconv.Itoa(limit)
		h["X-HubSpot-RateLimit-Remaining"] = strconv.Itoa(max(0, limit-len(burst)))
		h["X-HubSpot-RateLimit-Interval-Milliseconds"] = strconv.FormatInt(l.window.Milliseconds(), 10)
	}
	if l.daily > 0 {
		h["X-HubSpot-RateLimit-Daily"] = strconv.Itoa(l.daily)
		h["X-HubSpot-RateLimit-Daily-Remaining"] = strconv.Itoa(max(0, l.daily-st.dayCount))
	}
	return h
}
