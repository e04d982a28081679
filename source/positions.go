package source

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/conduitio/conduit-commons/opencdc"
)

// Positions is the position of a source that reads several resources:
// each resource's Position by the resource's name. Every record carries the
// state of all of them as it was when the record was read, so that any
// acked record resumes each resource where it was.
type Positions struct {
	Resources map[string]json.RawMessage `json:"resources"`
}

// ParsePositions reads a position into each resource's state. A position
// of several resources gives each its own; one of a single resource (this
// connector's or the earlier connector's, which do not name their
// resource) is the state of single, the resource the source read alone or
// the first it reads now. An empty position is no state.
func ParsePositions(raw opencdc.Position, single string) (map[string]*Position, error) {
	states := map[string]*Position{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return states, nil
	}
	var several Positions
	if err := json.Unmarshal(raw, &several); err == nil && several.Resources != nil {
		for name, state := range several.Resources {
			p, err := ParsePosition(opencdc.Position(state))
			if err != nil {
				return nil, fmt.Errorf("resource %s: %w", name, err)
			}
			states[name] = p
		}
		return states, nil
	}
	p, err := ParsePosition(raw)
	if err != nil {
		return nil, err
	}
	states[single] = p
	return states, nil
}

// combine returns the position of a record of one resource: its own
// state, and the others' as they are.
func combine(own opencdc.Position, name string, others map[string]json.RawMessage) (opencdc.Position, error) {
	all := make(map[string]json.RawMessage, len(others)+1)
	for n, state := range others {
		all[n] = state
	}
	all[name] = json.RawMessage(own)
	b, err := json.Marshal(Positions{Resources: all})
	if err != nil {
		return nil, fmt.Errorf("marshal position: %w", err)
	}
	return b, nil
}
