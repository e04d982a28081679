package destination

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// crmWriter writes the records of one CRM object resource (contacts,
// deals, a custom object, ...) in batches.
type crmWriter struct {
	config Config
	now    func() time.Time

	resource   hubspot.Resource
	objects    ObjectWriter
	properties PropertyLister
	schema     map[string]hubspot.Property
	// uniqueProps are the properties whose values HubSpot keeps unique,
	// the ones it does not declare so first.
	uniqueProps []string
	// schemaStale makes the next unknown property re-read the schema:
	// someone may have added the property since Open.
	schemaStale bool
	// schemaReadAt is when the schema was read, for the age of its
	// options (limits.go).
	schemaReadAt time.Time

	// createdIDs maps the key of a record this run created an object for
	// to the object's id, so that later records with that key reach it.
	createdIDs map[string]string
	// accepted holds the positions of records HubSpot accepted in a batch
	// in which an earlier record failed: Write counted them as not written,
	// so Conduit delivers them again, and they must not be written twice.
	accepted map[string]bool

	// links makes the links records name; routing, every resource's
	// writer shares the Destination's.
	links *linker
	// objectIDs are the HubSpot ids of the objects this Write's records
	// wrote, by record index, for their links.
	objectIDs map[int]string
	// linkOnly holds the records whose objects HubSpot wrote and whose
	// links it did not: their next delivery makes only the links.
	linkOnly map[string]linkJob
}

// openCRM is Open of a CRM object resource once the client exists; unit
// tests hand it mocks instead (Destination.open), so that they run the same
// checks as Open.
func openCRM(ctx context.Context, cfg Config, res hubspot.Resource, objects ObjectWriter, properties PropertyLister, links *linker, now func() time.Time) (*crmWriter, error) {
	if err := canUpsert(res, cfg.IDProperty); err != nil {
		return nil, fmt.Errorf("%q: %w", KeyIDProperty, err)
	}
	w := &crmWriter{config: cfg, now: now, links: links}
	w.resource, w.objects, w.properties = res, objects, properties
	w.createdIDs, w.accepted, w.linkOnly = map[string]string{}, map[string]bool{}, map[string]linkJob{}
	w.links.register(res.Name, w.createdIDs)
	if err := w.readSchema(ctx); err != nil {
		if hubspot.StatusCode(err) == http.StatusForbidden {
			return nil, fmt.Errorf("the access token lacks the scope to write %s (parameter %q): %w", res.Name, w.config.SignInParam(), err)
		}
		return nil, w.config.Explain(err)
	}
	if id := w.config.IDProperty; id != "" && !slices.Contains(w.uniqueProps, id) {
		if _, defined := w.schema[id]; !defined {
			return nil, config.CheckNames(KeyIDProperty, res.Name+" has no property", []string{id}, slices.Sorted(maps.Keys(w.schema)), 2)
		}
		return nil, fmt.Errorf("%q: %s has no property %q with unique values; upserts need one (such as email for contacts)", KeyIDProperty, res.Name, id)
	}
	return w, nil
}

func (w *crmWriter) readSchema(ctx context.Context) error {
	props, err := w.properties.List(ctx, w.resource.Name)
	if err != nil {
		return fmt.Errorf("read the properties of %s: %w", w.resource.Name, err)
	}
	w.schema = make(map[string]hubspot.Property, len(props))
	var declared []string
	for _, p := range props {
		w.schema[p.Name] = p
		if p.HasUniqueValue {
			declared = append(declared, p.Name)
		}
	}
	slices.Sort(declared)
	w.uniqueProps = slices.Concat(w.resource.UniqueProperties, declared)
	w.schemaStale = false
	w.schemaReadAt = w.now()
	return nil
}

// write sends the records in batches of one operation each, in order. It
// returns how many records, from the first on, HubSpot accepted, and an
// error naming the first record it did not.
func (w *crmWriter) write(ctx context.Context, recs []opencdc.Record) (int, error) {
	written := 0
	var pending []op
	w.objectIDs = map[int]string{}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		n, err := w.flush(ctx, recs, pending)
		written += n
		pending = pending[:0]
		return err
	}
	for i, r := range recs {
		if w.accepted[string(r.Position)] {
			if err := flush(); err != nil {
				return written, err
			}
			delete(w.accepted, string(r.Position))
			written++
			continue
		}
		if job, ok := w.linkOnly[string(r.Position)]; ok {
			if err := flush(); err != nil {
				return written, err
			}
			if err := w.links.apply(ctx, w.resource.Name, []linkJob{job}, w.links.replace)[0]; err != nil {
				return written, recordError(i, r, fmt.Errorf("the object was written, but not its links: %w", err))
			}
			delete(w.linkOnly, string(r.Position))
			written++
			continue
		}
		o, err := w.toOp(ctx, i, r)
		if err != nil {
			if ferr := flush(); ferr != nil {
				return written, ferr
			}
			return written, recordError(i, r, err)
		}
		if j := w.sameUpsert(pending, o); j >= 0 {
			pending[j] = pending[j].fold(o, w.config.AssociationsMode == AssociationsReplace) // one object, one input
			continue
		}
		if len(pending) > 0 && (pending[0].kind != o.kind || len(pending) == hubspot.MaxBatchInputs || w.touches(pending, o)) {
			if err := flush(); err != nil {
				return written, err
			}
		}
		if id, ok := w.createdIDs[o.recKey]; ok && (o.kind == opUpdate || (o.kind == opDelete && w.config.IDProperty == "")) {
			o.key = id // an object this run created under that key
		}
		pending = append(pending, o)
	}
	return written, flush()
}
