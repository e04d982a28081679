package destination

import (
	"context"
	"fmt"
	"net/http"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// cmsRecordWriter writes the records of one CMS resource in order, through
// the resource's cmsWriter (cms.go), in batches where it has them
// (cmsbatch.go).
type cmsRecordWriter struct {
	// cms writes the CMS resource (URL redirects, blog tags, posts, ...),
	// which is no CRM object.
	cms cmsWriter
	// createdIDs maps the key of a record this run created an object for
	// to the object's id, so that later records with that key reach it.
	createdIDs map[string]string
}

// openCMS is Open for a CMS resource: one small list call checks the
// token and its scope.
func openCMS(ctx context.Context, cfg Config, res hubspot.Resource, w cmsWriter, list func(context.Context, hubspot.CMSListOptions) error) (*cmsRecordWriter, error) {
	cw := &cmsRecordWriter{cms: w}
	cw.createdIDs = map[string]string{}
	if err := list(ctx, hubspot.CMSListOptions{Limit: 1}); err != nil {
		if hubspot.StatusCode(err) == http.StatusForbidden {
			return nil, fmt.Errorf("the access token lacks the scope to write %s (HubSpot's %s scope; parameter %q): %w", res.DisplayName(), res.CMS.WriteScope(), cfg.SignInParam(), err)
		}
		return nil, cfg.Explain(err)
	}
	return cw, nil
}

// write writes the records one by one, in order. It returns how many
// HubSpot accepted, from the first on, and an error naming the first record
// it did not; the records after it are not sent, so Conduit delivers them
// again.
func (w *cmsRecordWriter) write(ctx context.Context, recs []opencdc.Record) (int, error) {
	b, batches := w.cms.(cmsBatcher)
	batches = batches && b.batches()
	for i := 0; i < len(recs); {
		n, err := 1, error(nil)
		if batches {
			n, err = w.writeCMSRun(ctx, b, recs[i:])
		} else if err = w.writeCMSRecord(ctx, recs[i]); err != nil {
			n = 0
		}
		i += n
		if err != nil {
			return i, recordError(i, recs[i], err)
		}
	}
	return len(recs), nil
}

func (w *cmsRecordWriter) writeCMSRecord(ctx context.Context, r opencdc.Record) error {
	recKey, err := recordKey(r.Key)
	if err != nil {
		return err
	}
	id := recKey
	if created, ok := w.createdIDs[recKey]; ok && recKey != "" {
		id = created // an object this run created under that key
	}
	switch r.Operation {
	case opencdc.OperationCreate, opencdc.OperationSnapshot:
		created, err := w.cms.create(ctx, r.Payload.After)
		if err != nil {
			return err
		}
		if recKey != "" {
			w.createdIDs[recKey] = created
		}
		return nil
	case opencdc.OperationUpdate, opencdc.OperationDelete:
		if id == "" {
			return fmt.Errorf("a record of operation %s needs the %s's id in its key", r.Operation, w.cms.noun())
		}
		if r.Operation == opencdc.OperationDelete {
			return w.cms.delete(ctx, id, r.Payload.Before)
		}
		return w.cms.update(ctx, id, r.Payload.After)
	default:
		return fmt.Errorf("operation %q is not one the destination writes", r.Operation)
	}
}
