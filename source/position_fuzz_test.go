package source_test

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
)

func FuzzParsePosition(f *testing.F) {
	for _, seed := range []string{
		``,
		`{"mode":"snapshot","itemId":500,"initialTimestamp":"2024-01-02T03:04:05Z"}`,
		`{"mode":"cdc","itemId":"7","initialTimestamp":"2024-01-02T03:04:05Z","timestamp":"2024-01-02T03:04:05.123Z","frontier":"2024-01-02T03:04:06Z","deletes":{"until":"2024-01-02T03:04:05Z","bound":"2024-01-02T03:04:09Z","archivedAt":"2024-01-02T03:04:07Z","itemId":"3"}}`,
		`{"mode":"cdc","timestamp":"2024-01-02T03:04:05Z"}`,
		`{"mode":"snapshot","itemId":"40","below":"900","initialTimestamp":"2024-01-02T03:04:05Z"}`,
		`{"mode":"snapshot","below":"x","initialTimestamp":"2024-01-02T03:04:05Z"}`,
		`{"mode":"snapshot","itemId":-1}`,
		`[]`, `null`, `{"mode":`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := source.ParsePosition(opencdc.Position(raw))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if p == nil {
			return
		}
		if p.Mode != source.ModeSnapshot && p.Mode != source.ModeCDC {
			t.Fatalf("accepted mode %q", p.Mode)
		}
	})
}
