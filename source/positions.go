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
// of several resources gives each its own, and one of a single resource
// that names it is that resource's. One that does not (the earlier
// connector's, or this one's before positions named their resource) is
// the state of single, the resource the source read alone or the first it
// reads now: assumed says so. An empty position is no state.
func ParsePositions(raw opencdc.Position, single string) (states map[string]*Position, assumed bool, err error) {
	states = map[string]*Position{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return states, false, nil
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) == nil && probe["resources"] != nil {
		var several Positions
		if err := json.Unmarshal(raw, &several); err != nil {
			return nil, false, fmt.Errorf("position %q: resources: %w", truncate(raw), err)
		}
		for name, state := range several.Resources {
			p, err := ParsePosition(opencdc.Position(state))
			if err != nil {
				return nil, false, fmt.Errorf("resource %s: %w", name, err)
			}
			states[name] = p
		}
		return states, false, nil
	}
	p, err := ParsePosition(raw)
	if err != nil {
		return nil, false, err
	}
	if p.Resource != "" {
		states[p.Resource] = p
		return states, false, nil
	}
	states[single] = p
	return states, true, nil
}
