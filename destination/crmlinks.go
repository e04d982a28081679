package destination

import (
	"context"
	"errors"
	"fmt"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// link makes the links of the batch's objects that HubSpot wrote, which
// exist now. A record whose links HubSpot did not confirm fails, and
// linkOnly remembers it, so that its next delivery makes only the links.
func (w *crmWriter) link(ctx context.Context, recs []opencdc.Record, batch []op, res outcome) {
	if w.links == nil || batch[0].kind == opDelete {
		return
	}
	var jobs []linkJob
	var at []int
	for j, o := range batch {
		if !res.ok[j] {
			continue
		}
		w.links.written(w.resource.Name)
		if o.kind == opUpsert {
			w.links.learn(w.resource.Name, o.key, w.objectIDs[o.index])
		}
		if o.links == nil {
			continue
		}
		id := w.objectIDs[o.index]
		if o.kind == opUpdate {
			id = o.key
		}
		jobs = append(jobs, linkJob{fromID: id, links: o.links, position: string(recs[o.index].Position)})
		at = append(at, j)
	}
	if len(jobs) == 0 {
		return
	}
	errs := w.findWritten(ctx, batch, at, jobs)
	var found []linkJob
	var foundAt []int
	for k := range jobs {
		if errs[k] == nil {
			found, foundAt = append(found, jobs[k]), append(foundAt, k)
		}
	}
	for k, err := range w.links.apply(ctx, w.resource.Name, found, w.links.replace) {
		errs[foundAt[k]] = err
	}
	for k, err := range errs {
		j := at[k]
		res.ok[j] = false
		res.failure[j] = &linkErr{err}
		for _, i := range batch[j].records() {
			w.linkOnly[string(recs[i].Position)] = jobs[k]
		}
	}
}

// findWritten reads the ids of written objects whose answer named none
// (an answer without trace ids), by their unique value, and sets them in
// the jobs. It returns the error of each job whose id stays unknown.
func (w *crmWriter) findWritten(ctx context.Context, batch []op, at []int, jobs []linkJob) map[int]error {
	errs := map[int]error{}
	for k := range jobs {
		if jobs[k].fromID != "" {
			continue
		}
		o := batch[at[k]]
		prop, v, ok := o.naturalKey()
		if !ok {
			errs[k] = errors.New("HubSpot did not say which object it wrote, and the record has no unique value to find it by")
			continue
		}
		res, err := w.objects.BatchRead(ctx, w.resource.Name, hubspot.BatchReadRequest{IDs: []string{v}, IDProperty: prop, Properties: []string{prop}})
		if err != nil {
			errs[k] = fmt.Errorf("find the object written by its %s: %w", prop, err)
			continue
		}
		if len(res.Results) == 0 {
			errs[k] = fmt.Errorf("no %s with %s %q, which HubSpot said it wrote", w.resource.Name, prop, v)
			continue
		}
		jobs[k].fromID = res.Results[0].ID
	}
	return errs
}
