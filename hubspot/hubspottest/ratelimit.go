package hubspottest

import (
	"maps"
	"strconv"
	"time"
)

// rateState is what the server counts for its rate limits.
type rateState struct {
	burst    []time.Time // accepted requests inside the rolling window, oldest first
	search   []time.Time // accepted searches inside the search window
	day      string      // the UTC day dayCount counts
	dayCount int
}

// rateLimitBody is HubSpot's 429 answer.
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
// daily limit is the account's, shared by every app (hubspot-api.md).
// Callers hold s.mu.
func (s *Server) admit(search bool, app *oauthApp) (map[string]string, *rateLimitBody) {
	now := s.now()
	st := &s.requests
	l := s.limits
	if day := now.Format(time.DateOnly); day != st.day {
		st.day, st.dayCount = day, 0
	}
	if search {
		if l.search > 0 {
			st.search = inWindow(st.search, now, l.searchWindow)
			if len(st.search) >= l.search {
				return s.retryAfter(nil, st.search[0].Add(l.searchWindow).Sub(now)), limitedBy("SECONDLY", "secondly")
			}
			st.search = append(st.search, now)
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
