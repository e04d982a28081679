package record_test

import (
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/record"
	"github.com/matryer/is"
)

func TestIsObjectField(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{record.FieldID, true},
		{record.FieldCreatedAt, true},
		{record.FieldUpdatedAt, true},
		{record.FieldArchivedAt, true},
		{record.FieldArchived, true},
		// Properties, also those named like the fields but for case.
		{"email", false},
		{"hs_object_id", false},
		{"createdate", false},
		{"ID", false},
		{record.FieldProperties, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is.New(t).Equal(record.IsObjectField(tt.name), tt.want)
		})
	}
}

// TestFormatTime: instants are written in UTC with milliseconds, as HubSpot
// writes them, whatever the zone and precision of the time.
func TestFormatTime(t *testing.T) {
	is := is.New(t)
	zone := time.FixedZone("CET", 3600)
	is.Equal(record.FormatTime(time.Date(2026, 1, 2, 4, 4, 5, 678_900_000, zone)), "2026-01-02T03:04:05.678Z")
	is.Equal(record.FormatTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), "2026-01-02T03:04:05.000Z")
	got, err := time.Parse(time.RFC3339Nano, record.FormatTime(time.UnixMilli(1767323045678)))
	is.NoErr(err)
	is.True(got.Equal(time.UnixMilli(1767323045678)))
}
