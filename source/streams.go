package source

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// stream is one resource's reader and when it reads next. A source reads
// its streams in turn, one request's worth each, so that a long snapshot of
// one resource holds back another's changes by one request at a time.
type stream struct {
	name   string // the resource's name: its key in the position
	reader *reader
	// nextPoll is, once the stream has caught up, when it asks HubSpot
	// again.
	nextPoll time.Time

	// snapshot progress, for the log
	snapshotStart time.Time
	lastProgress  time.Time
	snapshotCount int
}

// nextStream returns the stream to read next: the first, from the one after
// the last read, that is due, or else the one due soonest, once its time has
// come.
func (s *Source) nextStream(ctx context.Context) (*stream, error) {
	now := s.now()
	var soonest int
	for i := range s.streams {
		k := (s.turn + i) % len(s.streams)
		if !s.streams[k].nextPoll.After(now) {
			soonest = k
			break
		}
		if s.streams[k].nextPoll.Before(s.streams[soonest].nextPoll) {
			soonest = k
		}
	}
	st := s.streams[soonest]
	if err := s.waitUntil(ctx, st.nextPoll); err != nil {
		return nil, err
	}
	s.turn = (soonest + 1) % len(s.streams)
	return st, nil
}

// combinePositions gives the records of st the position of a source of
// several resources: each record's own state for st's resource, and the
// others' states as they are, all of whose records came before. The
// others' part is written once for the step; each record adds its own.
func (s *Source) combinePositions(st *stream, recs []opencdc.Record) error {
	others := make(map[string]json.RawMessage, len(s.streams)-1)
	for _, o := range s.streams {
		if o == st {
			continue
		}
		state, err := o.reader.position().marshal()
		if err != nil {
			return err
		}
		others[o.name] = json.RawMessage(state)
	}
	head, err := json.Marshal(Positions{Resources: others})
	if err != nil {
		return fmt.Errorf("marshal position: %w", err)
	}
	name, err := json.Marshal(st.name)
	if err != nil {
		return fmt.Errorf("marshal position: %w", err)
	}
	// head is {"resources":{...}}: the record's state goes in before its
	// last two braces.
	prefix := head[:len(head)-2]
	sep := []byte(",")
	if len(others) == 0 {
		sep = nil
	}
	for i := range recs {
		pos := make([]byte, 0, len(prefix)+len(sep)+len(name)+1+len(recs[i].Position)+2)
		pos = append(append(append(append(append(pos, prefix...), sep...), name...), ':'), recs[i].Position...)
		pos = append(pos, '}', '}')
		recs[i].Position = pos
	}
	return nil
}

// everyResource is what * reads: every CRM object type of the resource
// table the token can read, and the account's custom objects. A type the
// token lacks the scope for is left out and logged; without the scope to
// list custom objects, there are none.
func (s *Source) everyResource(ctx context.Context, svc services) ([]hubspot.Resource, error) {
	var candidates []hubspot.Resource
	for _, res := range hubspot.Resources() {
		if res.Kind == hubspot.KindCRMObject && !res.IsOwners && canRead(res) == nil {
			candidates = append(candidates, res)
		}
	}
	schemas, err := svc.schemas.List(ctx)
	switch {
	case hubspot.StatusCode(err) == http.StatusForbidden:
		sdk.Logger(ctx).Warn().Err(err).Msg("hubspot source: the access token may not list the account's custom objects (scope crm.schemas.custom.read): resources * reads none of them")
	case err != nil:
		return nil, s.config.Explain(err)
	}
	for _, sc := range schemas {
		if sc.Archived {
			continue
		}
		res, err := hubspot.LookupResource(sc.ObjectTypeID)
		if err != nil {
			return nil, fmt.Errorf("custom object %s (%s): %w", sc.Name, sc.ObjectTypeID, err)
		}
		candidates = append(candidates, res)
	}
	var out []hubspot.Resource
	for _, res := range candidates {
		err := s.checkAccess(ctx, res, svc)
		if hubspot.StatusCode(err) == http.StatusForbidden {
			sdk.Logger(ctx).Info().Str("resource", res.Name).Msg("hubspot source: the access token may not read this type: resources * leaves it out")
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q %s: %w", KeyResources, allResources, errNoResources)
	}
	return out, nil
}
