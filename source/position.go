package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/conduitio/conduit-commons/opencdc"
)

// Mode is the phase a position belongs to.
type Mode string

// The source's phases.
const (
	ModeSnapshot Mode = "snapshot"
	ModeCDC      Mode = "cdc"
)

// Position is where the source is. It is JSON with the fields the earlier
// Conduit HubSpot connector wrote (mode, itemId, initialTimestamp,
// timestamp), so that its positions resume here, and a few more that make
// resumption exact.
type Position struct {
	// Resource names the resource the position is of, so that it resumes
	// that resource whichever order resources lists them in; the earlier
	// connector's positions have none.
	Resource string `json:"resource,omitempty"`
	Mode     Mode   `json:"mode"`
	// ItemID is, in snapshot mode, the id of the last object emitted; in CDC
	// mode, the id of the last change emitted, the second half of the
	// (Timestamp, ItemID) keyset of the change scan.
	ItemID string `json:"itemId,omitempty"`
	// InitialTimestamp is when the connector first started: the snapshot
	// holds the objects created up to it, CDC the changes after it.
	InitialTimestamp *time.Time `json:"initialTimestamp,omitempty"`
	// Timestamp is, in CDC mode, the last-modified time of the last change
	// emitted.
	Timestamp *time.Time `json:"timestamp,omitempty"`
	// Frontier is the latest last-modified time emitted so far. A look-back
	// moves Timestamp behind it; a restart looks back a window from it.
	Frontier *time.Time `json:"frontier,omitempty"`
	// Below is, in a snapshot read from both ends of the id range, how far
	// down the search from the top has come: it emitted every object
	// created up to the initial timestamp with an id at or above Below, as
	// the list emitted those up to ItemID. It stays in CDC positions, where
	// it says that CDC starts a look-back window before the initial
	// timestamp (search may have shown the snapshot stale versions).
	Below string `json:"below,omitempty"`
	// Deletes is how far the scan of archived objects has come.
	Deletes *DeletesPosition `json:"deletes,omitempty"`
	// Deleted are the newest deletes emitted (of archives and merges)
	// whose object search may still show at a stale version, at most
	// maxRecentDeletes of them, so that a restart drops those versions as
	// the run that emitted the deletes did, and emits no update after a
	// delete.
	Deleted []RecentDelete `json:"deleted,omitempty"`
	// Pipelines are, for a pipeline resource, the pipelines or stages
	// emitted and not deleted since, by id (pipelines.go).
	Pipelines map[string]PipelineSeen `json:"pipelines,omitempty"`
	// Lists are, for the lists resource, the lists emitted and not
	// deleted since: the digest of each one's record, by id (lists.go).
	Lists map[string]string `json:"lists,omitempty"`
	// Members is, for the list_memberships resource, each list's members
	// as last compared (listpos.go).
	Members *MembersPosition `json:"members,omitempty"`
}

// RecentDelete is a delete emitted: the object's id, and the time of its
// archive (or of the merge that absorbed it); search's versions of it up to
// that time are stale.
type RecentDelete struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// DeletesPosition tracks the delete records: every object archived from a
// clock-skew allowance before the initial timestamp up to Until was emitted;
// a scan in progress emits those archived up to Bound, in (archivedAt, id)
// order, and has emitted them up to (ArchivedAt, ItemID).
type DeletesPosition struct {
	Until      time.Time  `json:"until"`
	Bound      *time.Time `json:"bound,omitempty"`
	ArchivedAt *time.Time `json:"archivedAt,omitempty"`
	ItemID     string     `json:"itemId,omitempty"`
	// Archived are, for a resource whose archived list gives no deletion
	// time (owners, URL redirects), the archived objects the deletes are
	// done with: an object archived and not among them is a new delete.
	// nil: none known yet (a new source, or a position that predates it),
	// after which the first pass takes what it finds as described in
	// ownerDeletes and deletePass.untimed.
	Archived *ArchivedIDs `json:"archived,omitempty"`
}

// marshal encodes the position for a record. Every record gets its own
// copy.
func (p Position) marshal() (opencdc.Position, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("marshal position: %w", err)
	}
	return b, nil
}

// ParsePosition reads a position written by this source or by the earlier
// Conduit HubSpot connector (whose itemId was a number in some versions).
// An empty position is nil with no error: the source starts from scratch.
func ParsePosition(raw opencdc.Position) (*Position, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil //nolint:nilnil // no position is a valid answer
	}
	var wire struct {
		Position
		ItemID json.RawMessage `json:"itemId"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&wire); err != nil {
		return nil, fmt.Errorf("position %q is not valid JSON: %w", truncate(raw), err)
	}
	p := wire.Position
	id, err := parseItemID(wire.ItemID)
	if err != nil {
		return nil, fmt.Errorf("position %q: %w", truncate(raw), err)
	}
	p.ItemID = id
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("position %q: %w", truncate(raw), err)
	}
	return &p, nil
}

func parseItemID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s != "" {
			if _, err := strconv.ParseUint(s, 10, 64); err != nil {
				return "", fmt.Errorf("itemId %q is not a HubSpot id", s)
			}
		}
		return s, nil
	}
	var n uint64
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("itemId %s is neither a string nor a whole number", raw)
	}
	if n == 0 {
		return "", nil
	}
	return strconv.FormatUint(n, 10), nil
}

func (p Position) validate() error {
	switch p.Mode {
	case ModeSnapshot:
		if p.InitialTimestamp == nil {
			return errors.New("a snapshot position needs initialTimestamp")
		}
	case ModeCDC:
		if p.Timestamp == nil && p.InitialTimestamp == nil {
			return errors.New("a cdc position needs timestamp or initialTimestamp")
		}
	default:
		return fmt.Errorf("mode %q: want %q or %q", p.Mode, ModeSnapshot, ModeCDC)
	}
	if p.Below != "" {
		if _, err := parseID(p.Below); err != nil {
			return fmt.Errorf("below: %w", err)
		}
	}
	for _, d := range p.Deleted {
		if _, err := parseID(d.ID); err != nil {
			return fmt.Errorf("deleted: %w", err)
		}
	}
	if d := p.Deletes; d != nil && d.Bound == nil && (d.ArchivedAt != nil || d.ItemID != "") {
		return errors.New("deletes: a scan keyset needs its bound")
	}
	if d := p.Deletes; d != nil && d.Archived != nil {
		if _, err := parseIDSet(d.Archived); err != nil {
			return fmt.Errorf("deletes: %w", err)
		}
	}
	if p.Members != nil {
		if err := p.Members.validate(); err != nil {
			return err
		}
	}
	return nil
}

func truncate(raw []byte) string {
	const maxLen = 200
	if len(raw) > maxLen {
		return string(raw[:maxLen]) + "..."
	}
	return string(raw)
}

// keyset orders changes by (time, numeric id), the order the source emits
// them in.
type keyset struct {
	ts time.Time
	id uint64
}

func (k keyset) less(o keyset) bool {
	if !k.ts.Equal(o.ts) {
		return k.ts.Before(o.ts)
	}
	return k.id < o.id
}

func compareKeys(a, b keyset) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	default:
		return 0
	}
}

func parseID(id string) (uint64, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("object id %q is not numeric", id)
	}
	return n, nil
}

func timePtr(t time.Time) *time.Time { return &t }
