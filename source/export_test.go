package source

// CaughtUpPolls is how many polls found s caught up, for tests that wait
// until it is idle.
func CaughtUpPolls(s *Source) int { return s.polls }
