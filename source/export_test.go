package source

import "time"

// CaughtUpPolls is how many polls found s caught up, for tests that wait
// until it is idle.
func CaughtUpPolls(s *Source) int { return s.polls }

// NextPoll is when s polls again, once caught up.
func NextPoll(s *Source) time.Time { return s.nextPoll }
