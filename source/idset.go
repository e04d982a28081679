package source

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The ids of a set are written in a position as the differences between
// them in increasing order, each in base 36, joined by dots: HubSpot's ids
// of one resource lie close together, so a thousand take a few kilobytes.

// encodeIDs writes a set of ids.
func encodeIDs(ids []uint64) string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var b strings.Builder
	var prev uint64
	for i, id := range ids {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.FormatUint(id-prev, 36))
		prev = id
	}
	return b.String()
}

// decodeIDs reads a set written by encodeIDs.
func decodeIDs(s string) (map[uint64]bool, error) {
	out := map[uint64]bool{}
	if s == "" {
		return out, nil
	}
	var prev uint64
	for _, part := range strings.Split(s, ".") {
		d, err := strconv.ParseUint(part, 36, 64)
		if err != nil {
			return nil, fmt.Errorf("id set %q: %w", truncate([]byte(s)), err)
		}
		prev += d
		out[prev] = true
	}
	return out, nil
}
