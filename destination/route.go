package destination

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"text/template"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// A destination whose resource is empty or a Go template routes: each
// record goes to the resource its opencdc.collection names, or that the
// template makes of the record, as Conduit's Postgres destination picks a
// record's table. Consecutive records of one resource make one run, written
// by that resource's writer, so no batch mixes types and the records
// keep their order across runs.

// router holds the template and the writers of the resources written so
// far, by resource name and by the other names records gave them.
type router struct {
	tmpl    *template.Template // nil: the record's opencdc.collection
	writers map[string]routed
	// open opens the writer of a resource for its first record, with the
	// Destination's client.
	open func(ctx context.Context, res hubspot.Resource) (writer, error)
}

// routed is the writer of one resource, and the resource, which names it
// in errors.
type routed struct {
	res hubspot.Resource
	w   writer
}

// newRouter returns the router of a resource setting that names no one
// resource (empty, or a template), or nil for one that does.
func newRouter(setting string) (*router, error) {
	switch {
	case strings.TrimSpace(setting) == "":
		return &router{writers: map[string]routed{}}, nil
	case !config.IsTemplate(setting):
		return nil, nil //nolint:nilnil // no router: one resource
	}
	tmpl, err := template.New(config.KeyResource).Option("missingkey=error").Parse(setting)
	if err != nil {
		return nil, fmt.Errorf("is not a valid Go template: %w", err)
	}
	return &router{tmpl: tmpl, writers: map[string]routed{}}, nil
}

// resourceOf names the resource a record goes to.
func (r *router) resourceOf(rec opencdc.Record) (string, error) {
	if r.tmpl == nil {
		name, err := rec.Metadata.GetCollection()
		if err != nil || name == "" {
			return "", fmt.Errorf("the record has no %s to name its resource: set %q to the resource, or to a template that makes one of the record", opencdc.MetadataCollection, config.KeyResource)
		}
		return name, nil
	}
	var b strings.Builder
	if err := r.tmpl.Execute(&b, rec); err != nil {
		return "", fmt.Errorf("the %q template: %w", config.KeyResource, err)
	}
	name := strings.TrimSpace(b.String())
	if name == "" {
		return "", fmt.Errorf("the %q template made no resource of the record", config.KeyResource)
	}
	return name, nil
}

// write writes the records in runs of one resource each, in order. It
// returns how many HubSpot accepted, from the first on, and an error naming
// the first record it did not.
func (r *router) write(ctx context.Context, recs []opencdc.Record) (int, error) {
	// Each record's resource once (a template runs per record); the
	// first that has none ends the records routed, and its error comes
	// when the records before it are written.
	names := make([]string, 0, len(recs))
	var nameErr error
	for _, rec := range recs {
		name, err := r.resourceOf(rec)
		if err != nil {
			nameErr = err
			break
		}
		names = append(names, name)
	}
	written := 0
	for start := 0; start < len(recs); {
		if start == len(names) {
			return written, recordError(start, recs[start], nameErr)
		}
		name := names[start]
		w, err := r.writerOf(ctx, name)
		if err != nil {
			return written, recordError(start, recs[start], err)
		}
		end := start + 1
		for end < len(names) && names[end] == name {
			end++
		}
		n, err := w.w.write(ctx, recs[start:end])
		written += n
		var rerr *RecordError
		if errors.As(err, &rerr) {
			rerr.Index += start // the run's index is the batch's
		}
		if err != nil {
			return written, fmt.Errorf("write %s: %w", w.res.DisplayName(), err)
		}
		start = end
	}
	return written, nil
}

// writerOf returns the writer of the named resource, opening it for the
// first record that goes to it.
func (r *router) writerOf(ctx context.Context, name string) (routed, error) {
	if w, ok := r.writers[name]; ok {
		return w, nil
	}
	res, err := config.LookupResource(name)
	if err != nil {
		return routed{}, err
	}
	if err := canWrite(res); err != nil {
		return routed{}, err
	}
	if w, ok := r.writers[res.Name]; ok {
		r.writers[name] = w // another name of it ("0-3", "crm.deals")
		return w, nil
	}
	opened, err := r.open(ctx, res)
	if err != nil {
		return routed{}, fmt.Errorf("open %s: %w", res.DisplayName(), err)
	}
	w := routed{res: res, w: opened}
	r.writers[name], r.writers[res.Name] = w, w
	return w, nil
}

// canWrite says why the destination cannot write a resource, or nil. A
// type HubSpot's API writes in part (partner clients: updates only) is
// written; a record asking for a write it lacks fails alone (canDo).
func canWrite(res hubspot.Resource) error {
	if res.Kind == hubspot.KindLists {
		return fmt.Errorf("%s is read-only here: the destination writes no lists or list members (the source reads them)", res.Name)
	}
	if res.ReadOnly() {
		return fmt.Errorf("%s is read-only: HubSpot's API creates, updates and deletes none of them, so the destination cannot write it (the source reads it)", res.DisplayName())
	}
	return nil
}

// canUpsert says why records cannot be upserted to res on idProperty (set),
// or nil: every record would fail.
func canUpsert(res hubspot.Resource, idProperty string) error {
	if idProperty == "" {
		return nil
	}
	return canDo(res, opUpsert)
}

// canDo says why a record of the kind cannot be written to res, or nil.
func canDo(res hubspot.Resource, kind opKind) error {
	if res.Ops.Has(callOf(kind)) {
		return nil
	}
	var can []string
	for _, k := range []opKind{opCreate, opUpdate, opUpsert, opDelete} {
		if res.Ops.Has(callOf(k)) {
			can = append(can, k.String())
		}
	}
	return fmt.Errorf("HubSpot's API does not %s %s; it does %s only", kind, res.DisplayName(), strings.Join(can, ", "))
}

// callOf is the call of HubSpot's API a kind of record takes.
func callOf(kind opKind) hubspot.Ops {
	return map[opKind]hubspot.Ops{opCreate: hubspot.OpCreate, opUpsert: hubspot.OpUpsert, opUpdate: hubspot.OpUpdate, opDelete: hubspot.OpArchive}[kind]
}

// checkSignIn makes one small call, so that a routing destination, which
// opens each resource when its first record comes, learns of a wrong token
// at Open. Any answer but a refusal of the sign-in will do: a token that
// may not read owners (403) can still write the resources routed to.
func (d *Destination) checkSignIn(ctx context.Context) error {
	_, err := d.client.Owners.List(ctx, hubspot.OwnerListOptions{Limit: 1})
	switch code := hubspot.StatusCode(err); {
	case err == nil || code == http.StatusForbidden:
		return nil
	case code == http.StatusUnauthorized || hubspot.IsSignInRefused(err):
		return d.config.Explain(err)
	case code == 0:
		return fmt.Errorf("reach HubSpot at %s: %w", d.config.BaseURL, err)
	}
	return nil // another answer: HubSpot heard the token
}
