package destination

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// The pipeline resources (deal_pipelines, deal_pipeline_stages, ...) are
// written to a mirror, whose ids are its own: a pipeline is found by the id
// this run found or made for the record's id, by the record's id itself
// where every account has it (sharedID: the deals' "default" pipeline), and
// else by its label within the object type, the one HubSpot keeps unique (the spec's
// PipelineInput); a stage likewise within its pipeline. An update's before
// image holds the label the mirror had (the source puts it there), so that
// a rename finds what to rename. HubSpot creates no pipeline without a
// stage: a pipeline record updates a pipeline the mirror has, and the first
// stage record of a pipeline the mirror lacks creates it, with that stage.
// Each record lists the type's pipelines once: a create whose answer was
// lost is found by its label when the record comes again, never made
// twice.

// PipelineWriter is what the destination needs of hubspot.PipelinesService.
type PipelineWriter interface {
	List(ctx context.Context, objectType string) ([]hubspot.Pipeline, error)
	Create(ctx context.Context, objectType string, in hubspot.PipelineInput) (*hubspot.Pipeline, error)
	Update(ctx context.Context, objectType, id string, in hubspot.PipelinePatch) (*hubspot.Pipeline, error)
	Archive(ctx context.Context, objectType, id string) error
	CreateStage(ctx context.Context, objectType, pipelineID string, in hubspot.StageInput) (*hubspot.PipelineStage, error)
	UpdateStage(ctx context.Context, objectType, pipelineID, stageID string, in hubspot.StagePatch) (*hubspot.PipelineStage, error)
	ArchiveStage(ctx context.Context, objectType, pipelineID, stageID string) error
}

var _ PipelineWriter = (*hubspot.PipelinesService)(nil)

// pipelineWriter writes the records of one pipeline resource.
type pipelineWriter struct {
	svc  PipelineWriter
	spec hubspot.PipelineSpec
	// pipelineIDs and stageIDs map the records' ids to the mirror's, as
	// this run found or made them.
	pipelineIDs, stageIDs map[string]string
	// listed is the mirror's live pipelines as this Write listed them and
	// its writes changed them since; nil: to be listed.
	listed []hubspot.Pipeline
}

// openPipelines is Open for a pipeline resource: one list checks the token
// and its scope.
func openPipelines(ctx context.Context, cfg Config, res hubspot.Resource, svc PipelineWriter) (*pipelineWriter, error) {
	w := &pipelineWriter{svc: svc, spec: *res.Pipelines, pipelineIDs: map[string]string{}, stageIDs: map[string]string{}}
	if _, err := svc.List(ctx, res.Pipelines.ObjectType); err != nil {
		if hubspot.StatusCode(err) == http.StatusForbidden {
			return nil, fmt.Errorf("the access token lacks the scope to write the pipelines of %s (parameter %q): %w", res.Pipelines.ObjectType, cfg.SignInParam(), err)
		}
		return nil, cfg.Explain(err)
	}
	return w, nil
}

// write writes the records one by one, in order, up to the first
// that fails. The mirror's pipelines are listed once a Write, and again
// after an archive or a failed call; the writes between keep the list.
func (w *pipelineWriter) write(ctx context.Context, recs []opencdc.Record) (int, error) {
	w.listed = nil // another integration may have changed them since the last Write
	for i, r := range recs {
		if err := w.writeRecord(ctx, r); err != nil {
			w.listed = nil
			return i, recordError(i, r, err)
		}
	}
	return len(recs), nil
}

// writeRecord writes one record.
func (w *pipelineWriter) writeRecord(ctx context.Context, r opencdc.Record) error {
	id, err := recordKey(r.Key)
	if err != nil {
		return err
	}
	noun := w.noun()
	switch r.Operation {
	case opencdc.OperationCreate, opencdc.OperationSnapshot, opencdc.OperationUpdate:
		in, err := pipelineRecordOf(r.Payload.After, w.spec.Stages)
		if err != nil {
			return err
		}
		if id == "" {
			id = in.id
		}
		// A before image that does not read leaves the labels of after.
		before, _ := pipelineRecordOf(r.Payload.Before, w.spec.Stages)
		if w.spec.Stages {
			return w.writeStage(ctx, id, in, before)
		}
		return w.writePipeline(ctx, id, in, before)
	case opencdc.OperationDelete:
		in, err := pipelineRecordOf(r.Payload.Before, w.spec.Stages)
		if err != nil && !errors.Is(err, errNoLabel) {
			return err
		}
		if id == "" {
			id = in.id
		}
		if id == "" && in.label == "" {
			return fmt.Errorf("a delete of a %s needs its id in the key or its label in the payload", noun)
		}
		return w.delete(ctx, id, in)
	default:
		return fmt.Errorf("operation %q is not one the destination writes", r.Operation)
	}
}

// noun names what the resource's records are, for errors.
func (w *pipelineWriter) noun() string {
	if w.spec.Stages {
		return w.spec.ObjectType + " pipeline stage"
	}
	return w.spec.ObjectType + " pipeline"
}

// live lists the mirror's live pipelines of the type, with their live
// stages.
func (w *pipelineWriter) live(ctx context.Context) ([]hubspot.Pipeline, error) {
	if w.listed != nil {
		return w.listed, nil
	}
	list, err := w.svc.List(ctx, w.spec.ObjectType)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, p := range list {
		if p.Archived {
			continue
		}
		stages := p.Stages[:0]
		for _, st := range p.Stages {
			if !st.Archived {
				stages = append(stages, st)
			}
		}
		p.Stages = stages
		out = append(out, p)
	}
	w.listed = out
	return out, nil
}

// findPipeline is the mirror's pipeline of the record's pipeline id: the
// one this run mapped it to, the one of that id if every account has it,
// or the first of labels.
func (w *pipelineWriter) findPipeline(list []hubspot.Pipeline, id string, labels ...string) *hubspot.Pipeline {
	byID := func(want string) *hubspot.Pipeline {
		for i := range list {
			if list[i].ID == want {
				return &list[i]
			}
		}
		return nil
	}
	if mapped, ok := w.pipelineIDs[id]; ok {
		if p := byID(mapped); p != nil {
			return p
		}
	}
	if p := byID(id); p != nil && sharedID(id) {
		return p
	}
	for _, l := range labels {
		for i := range list {
			if l != "" && list[i].Label == l {
				return &list[i]
			}
		}
	}
	return nil
}

// findStage is, likewise, the stage of p of the record's stage id.
func (w *pipelineWriter) findStage(p *hubspot.Pipeline, id string, labels ...string) *hubspot.PipelineStage {
	byID := func(want string) *hubspot.PipelineStage {
		for i := range p.Stages {
			if p.Stages[i].ID == want {
				return &p.Stages[i]
			}
		}
		return nil
	}
	if mapped, ok := w.stageIDs[id]; ok {
		if st := byID(mapped); st != nil {
			return st
		}
	}
	if st := byID(id); st != nil && sharedID(id) {
		return st
	}
	for _, l := range labels {
		for i := range p.Stages {
			if l != "" && p.Stages[i].Label == l {
				return &p.Stages[i]
			}
		}
	}
	return nil
}

// writePipeline updates the mirror's pipeline of the record; one it lacks
// waits for its first stage record, which creates it.
func (w *pipelineWriter) writePipeline(ctx context.Context, id string, in, before pipelineRecord) error {
	list, err := w.live(ctx)
	if err != nil {
		return err
	}
	p := w.findPipeline(list, id, before.label, in.label)
	if p == nil {
		sdk.Logger(ctx).Debug().Str("id", id).Str("label", in.label).
			Msgf("hubspot destination: the %s is not in the account; the first record of its stages creates it (HubSpot creates no pipeline without a stage)", w.noun())
		return nil
	}
	w.pipelineIDs[id] = p.ID
	var patch hubspot.PipelinePatch
	if p.Label != in.label {
		patch.Label = &in.label
	}
	if in.displayOrder != nil && *in.displayOrder != p.DisplayOrder {
		patch.DisplayOrder = in.displayOrder
	}
	if patch.Label == nil && patch.DisplayOrder == nil {
		return nil // the mirror has it as it is
	}
	updated, err := w.svc.Update(ctx, w.spec.ObjectType, p.ID, patch)
	if err == nil {
		p.Label, p.DisplayOrder = updated.Label, updated.DisplayOrder
	}
	return err
}

// writeStage creates or updates the mirror's stage of the record, and
// creates its pipeline with it where the mirror has none.
func (w *pipelineWriter) writeStage(ctx context.Context, id string, in, before pipelineRecord) error {
	list, err := w.live(ctx)
	if err != nil {
		return err
	}
	stage := hubspot.StageInput{Label: in.label, Metadata: in.metadata}
	if in.displayOrder != nil {
		stage.DisplayOrder = *in.displayOrder
	}
	p := w.findPipeline(list, in.pipelineID, before.pipelineLabel, in.pipelineLabel)
	if p == nil {
		if in.pipelineLabel == "" {
			return fmt.Errorf("the %s's pipeline is not in the account, and the record has no %s to create it with", w.noun(), pipeFieldPipelineLabel)
		}
		created, err := w.svc.Create(ctx, w.spec.ObjectType, hubspot.PipelineInput{
			Label: in.pipelineLabel, DisplayOrder: derefInt(in.pipelineOrder), Stages: []hubspot.StageInput{stage},
		})
		if err != nil {
			return err
		}
		w.listed = append(w.listed, *created)
		w.pipelineIDs[in.pipelineID] = created.ID
		if len(created.Stages) > 0 {
			w.stageIDs[id] = created.Stages[0].ID
		}
		return nil
	}
	w.pipelineIDs[in.pipelineID] = p.ID
	st := w.findStage(p, id, before.label, in.label)
	if st == nil {
		created, err := w.svc.CreateStage(ctx, w.spec.ObjectType, p.ID, stage)
		if err != nil {
			return err
		}
		p.Stages = append(p.Stages, *created)
		w.stageIDs[id] = created.ID
		return nil
	}
	w.stageIDs[id] = st.ID
	if st.Label == in.label && (in.displayOrder == nil || *in.displayOrder == st.DisplayOrder) && sameMetadata(st.Metadata, in.metadata) {
		return nil
	}
	patch := hubspot.StagePatch{Label: &stage.Label, DisplayOrder: in.displayOrder, Metadata: in.metadata}
	if patch.Metadata == nil {
		patch.Metadata = st.Metadata // required by the patch; unchanged
	}
	updated, err := w.svc.UpdateStage(ctx, w.spec.ObjectType, p.ID, st.ID, patch)
	if err == nil {
		*st = *updated
	}
	return err
}

// delete archives the mirror's pipeline or stage of the record; one the
// mirror lacks is deleted already.
func (w *pipelineWriter) delete(ctx context.Context, id string, in pipelineRecord) error {
	list, err := w.live(ctx)
	if err != nil {
		return err
	}
	w.listed = nil // an archive leaves the list; listed again for the next record
	if !w.spec.Stages {
		p := w.findPipeline(list, id, in.label)
		if p == nil {
			return nil
		}
		return ignoreNotFound(w.svc.Archive(ctx, w.spec.ObjectType, p.ID))
	}
	p := w.findPipeline(list, in.pipelineID, in.pipelineLabel)
	if p == nil {
		return nil // gone with its pipeline
	}
	st := w.findStage(p, id, in.label)
	if st == nil {
		return nil
	}
	return ignoreNotFound(w.svc.ArchiveStage(ctx, w.spec.ObjectType, p.ID, st.ID))
}

// sharedID reports whether a pipeline's or stage's id is one of those
// HubSpot gives the default pipelines of every account ("default",
// "appointmentscheduled", the tickets' "0" to "4"), which a mirror has
// under the same id; those HubSpot makes for new ones are numbers of
// several digits ("1234567"), which another account gives other
// pipelines. The line at five digits is a guess.
func sharedID(id string) bool {
	if id == "" {
		return false
	}
	if len(id) < 5 {
		return true
	}
	return strings.ContainsFunc(id, func(r rune) bool { return r < '0' || r > '9' })
}

// ignoreNotFound makes an archive of what is gone already (a delete
// delivered again) a success.
func ignoreNotFound(err error) error {
	if hubspot.IsNotFound(err) {
		return nil
	}
	return err
}

// sameMetadata reports whether the mirror's metadata holds every value the
// record sets.
func sameMetadata(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
