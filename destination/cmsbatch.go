package destination

import (
	"context"
	"net/http"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// cmsBatcher is a CMS writer with batch calls. Each method writes its
// records in one call where it can, and returns how many of them, from the
// first, HubSpot wrote, and the error of the next one.
type cmsBatcher interface {
	batches() bool
	createBatch(ctx context.Context, payloads []opencdc.Data) ([]string, int, error)
	updateBatch(ctx context.Context, ids []string, payloads []opencdc.Data) (int, error)
	deleteBatch(ctx context.Context, ids []string) (int, error)
}

// cmsOp is the call a record becomes: creates and snapshots are one.
func cmsOp(op opencdc.Operation) opencdc.Operation {
	if op == opencdc.OperationSnapshot {
		return opencdc.OperationCreate
	}
	return op
}

// writeCMSRun writes the run of records at the front of recs that one
// batch call can carry: one operation, each object once, at most
// MaxBatchInputs. It returns how many records it wrote and the error of
// the next. A record the run cannot carry (no id, a bad key) ends it; on
// its own it is written singly, which reports its error.
func (w *cmsRecordWriter) writeCMSRun(ctx context.Context, b cmsBatcher, recs []opencdc.Record) (int, error) {
	op := cmsOp(recs[0].Operation)
	var recKeys, ids []string
	var payloads []opencdc.Data
	seen := map[string]bool{}
	for _, r := range recs {
		if len(payloads) == hubspot.MaxBatchInputs || cmsOp(r.Operation) != op {
			break
		}
		recKey, err := recordKey(r.Key)
		if err != nil {
			break
		}
		target := recKey
		if created, ok := w.createdIDs[recKey]; ok && recKey != "" {
			target = created
		}
		if (op != opencdc.OperationCreate && target == "") || (target != "" && seen[target]) {
			break
		}
		seen[target] = true
		recKeys, ids, payloads = append(recKeys, recKey), append(ids, target), append(payloads, r.Payload.After)
	}
	if len(payloads) < 2 || (op != opencdc.OperationCreate && op != opencdc.OperationUpdate && op != opencdc.OperationDelete) {
		if err := w.writeCMSRecord(ctx, recs[0]); err != nil {
			return 0, err
		}
		return 1, nil
	}
	switch op {
	case opencdc.OperationCreate:
		created, n, err := b.createBatch(ctx, payloads)
		for k := range n {
			if recKeys[k] != "" {
				w.createdIDs[recKeys[k]] = created[k]
			}
		}
		return n, err
	case opencdc.OperationUpdate:
		return b.updateBatch(ctx, ids, payloads)
	default:
		return b.deleteBatch(ctx, ids)
	}
}

// singly reports whether a batch call's error leaves its records to be
// written one by one: HubSpot refused the whole batch for one of them (400,
// 404, 409), or may have applied it (5xx, a lost connection, an answer with
// errors), which the single calls and look-ups resolve.
func singly(err error) bool {
	return refusedWhole(err) || hubspot.StatusCode(err) == http.StatusNotFound || mayHaveApplied(err)
}
