package source

import (
	"context"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduitio/conduit-commons/opencdc"
)

// CaughtUpPolls is how many polls found s caught up, for tests that wait
// until it is idle.
func CaughtUpPolls(s *Source) int { return s.polls }

// NextPoll is when s polls again, once caught up.
func NextPoll(s *Source) time.Time {
	next := s.streams[0].nextPoll
	for _, st := range s.streams[1:] {
		if st.nextPoll.Before(next) {
			next = st.nextPoll
		}
	}
	return next
}

// onlyReaderConfig is the reader configuration of a configuration of one
// resource, for the tests that build a reader themselves.
func (c *Config) onlyReaderConfig() (readerConfig, error) {
	set, err := c.resolve()
	if err != nil {
		return readerConfig{}, err
	}
	return c.readerConfig(set.resources[0], set), nil
}

// StructuredPayload returns a payload as a map: as it is, or decoded from
// Avro by the payload schema the record names, as a destination's SDK
// decodes it.
func StructuredPayload(t testing.TB, r opencdc.Record, d opencdc.Data) opencdc.StructuredData {
	t.Helper()
	out, err := decoded.Payload(context.Background(), r, d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
