package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The pipelines API (/crm/pipelines/{version}/{objectType}), from the spec
// collection's PublicApiSpecs/CRM/Pipelines/Rollouts/145896/<version>/pipelines.json:
// the list takes no query parameter and answers every pipeline of the type
// with its stages, no paging; creates answer 201 with the pipeline or stage,
// patches 200, deletes (archives) 204. HubSpot's pipelines guide
// (https://developers.hubspot.com/docs/api/crm/pipelines) says a deal
// stage's metadata needs probability, 0.0 to 1.0, and a stage's label is
// unique in its pipeline; the spec says a pipeline's label is unique among
// the type's pipelines.

// pipelineStore is the pipelines of each object type.
type pipelineStore struct {
	byType map[string][]*simPipeline
	nextID int64
	// listArchived makes the list answer archived pipelines and stages
	// too, with archived true (WithArchivedPipelinesListed).
	listArchived bool
}

type simPipeline struct {
	ID, Label                       string
	DisplayOrder                    int
	Archived                        bool
	CreatedAt, UpdatedAt, ArchiveAt time.Time
	Stages                          []*simStage
}

type simStage struct {
	ID, Label                       string
	DisplayOrder                    int
	Metadata                        map[string]string
	Archived                        bool
	CreatedAt, UpdatedAt, ArchiveAt time.Time
}

// newPipelineStore seeds the pipelines every account has: the deals'
// "default" pipeline (https://developers.hubspot.com/docs/methods/pipelines/pipelines_overview:
// "Every account initially contains a default pipeline with the pipelineId
// default") with the seven stages of HubSpot's default sales pipeline, and
// the tickets' support pipeline. The stage ids, the tickets' pipeline id
// "0" and its stage ids are a guess; the stages of default pipelines have
// createdAt at the epoch (the spec's PipelineStage.createdAt).
func newPipelineStore(listArchived bool) *pipelineStore {
	epoch := time.Unix(0, 0).UTC()
	stage := func(id, label string, order int, meta map[string]string) *simStage {
		return &simStage{ID: id, Label: label, DisplayOrder: order, Metadata: meta, CreatedAt: epoch, UpdatedAt: epoch}
	}
	deal := func(p string, closed bool) map[string]string {
		return map[string]string{"probability": p, "isClosed": strconv.FormatBool(closed)}
	}
	ticket := func(state string) map[string]string { return map[string]string{"ticketState": state} }
	return &pipelineStore{nextID: 1_000_000, listArchived: listArchived, byType: map[string][]*simPipeline{
		"deals": {{ID: "default", Label: "Sales Pipeline", CreatedAt: epoch, UpdatedAt: epoch, Stages: []*simStage{
			stage("appointmentscheduled", "Appointment Scheduled", 0, deal("0.2", false)),
			stage("qualifiedtobuy", "Qualified To Buy", 1, deal("0.4", false)),
			stage("presentationscheduled", "Presentation Scheduled", 2, deal("0.6", false)),
			stage("decisionmakerboughtin", "Decision Maker Bought-In", 3, deal("0.8", false)),
			stage("contractsent", "Contract Sent", 4, deal("0.9", false)),
			stage("closedwon", "Closed Won", 5, deal("1.0", true)),
			stage("closedlost", "Closed Lost", 6, deal("0.0", true)),
		}}},
		"tickets": {{ID: "0", Label: "Support Pipeline", CreatedAt: epoch, UpdatedAt: epoch, Stages: []*simStage{
			stage("1", "New", 0, ticket("OPEN")),
			stage("2", "Waiting on contact", 1, ticket("OPEN")),
			stage("3", "Waiting on us", 2, ticket("OPEN")),
			stage("4", "Closed", 3, ticket("CLOSED")),
		}}},
	}}
}

// WithArchivedPipelinesListed makes the pipelines list answer archived
// pipelines and stages too, with archived true and archivedAt. No document
// says whether it does: by default it leaves them out (a guess), and this
// option models the other reading, so that a reader is tested against both.
func WithArchivedPipelinesListed() Option {
	return func(c *config) { c.archivedPipelines = true }
}

type stageJSON struct {
	ID               string            `json:"id"`
	Label            string            `json:"label"`
	DisplayOrder     int               `json:"displayOrder"`
	Metadata         map[string]string `json:"metadata"`
	Archived         bool              `json:"archived"`
	CreatedAt        string            `json:"createdAt"`
	UpdatedAt        string            `json:"updatedAt"`
	ArchivedAt       string            `json:"archivedAt,omitempty"`
	WritePermissions string            `json:"writePermissions"`
}

type pipelineJSON struct {
	ID           string      `json:"id"`
	Label        string      `json:"label"`
	DisplayOrder int         `json:"displayOrder"`
	Archived     bool        `json:"archived"`
	CreatedAt    string      `json:"createdAt"`
	UpdatedAt    string      `json:"updatedAt"`
	ArchivedAt   string      `json:"archivedAt,omitempty"`
	Stages       []stageJSON `json:"stages"`
}

func (st *simStage) json() stageJSON {
	out := stageJSON{ID: st.ID, Label: st.Label, DisplayOrder: st.DisplayOrder, Metadata: st.Metadata,
		Archived: st.Archived, CreatedAt: formatTime(st.CreatedAt), UpdatedAt: formatTime(st.UpdatedAt),
		WritePermissions: "CRM_PERMISSIONS_ENFORCEMENT"}
	if st.Archived {
		out.ArchivedAt = formatTime(st.ArchiveAt)
	}
	return out
}

func (p *simPipeline) json(withArchived bool) pipelineJSON {
	out := pipelineJSON{ID: p.ID, Label: p.Label, DisplayOrder: p.DisplayOrder, Archived: p.Archived,
		CreatedAt: formatTime(p.CreatedAt), UpdatedAt: formatTime(p.UpdatedAt), Stages: []stageJSON{}}
	if p.Archived {
		out.ArchivedAt = formatTime(p.ArchiveAt)
	}
	for _, st := range p.Stages {
		if !st.Archived || withArchived {
			out.Stages = append(out.Stages, st.json())
		}
	}
	return out
}

// pipelineRoutes registers the pipelines API at each version.
func (s *Server) pipelineRoutes(m versionedMux) {
	m.handle("GET", "/{type}", false, s.listPipelines)
	m.handle("POST", "/{type}", false, s.createPipeline)
	m.handle("GET", "/{type}/{id}", false, s.getPipeline)
	m.handle("PATCH", "/{type}/{id}", false, s.patchPipeline)
	m.handle("DELETE", "/{type}/{id}", false, s.archivePipeline)
	m.handle("GET", "/{type}/{id}/stages", false, s.listStages)
	m.handle("POST", "/{type}/{id}/stages", false, s.createStage)
	m.handle("PATCH", "/{type}/{id}/stages/{stage}", false, s.patchStage)
	m.handle("DELETE", "/{type}/{id}/stages/{stage}", false, s.archiveStage)
}

func (s *Server) listPipelines(r *http.Request) (int, any, *apiError) {
	out := pageJSON[pipelineJSON]{Results: []pipelineJSON{}}
	for _, p := range s.pipelines.byType[r.PathValue("type")] {
		if !p.Archived || s.pipelines.listArchived {
			out.Results = append(out.Results, p.json(s.pipelines.listArchived))
		}
	}
	return http.StatusOK, out, nil
}

// livePipeline finds the path's pipeline, not archived.
func (s *Server) livePipeline(r *http.Request) (*simPipeline, *apiError) {
	for _, p := range s.pipelines.byType[r.PathValue("type")] {
		if p.ID == r.PathValue("id") && !p.Archived {
			return p, nil
		}
	}
	return nil, notFound(fmt.Sprintf("Unable to find pipeline %s of %s", r.PathValue("id"), r.PathValue("type")))
}

func (s *Server) getPipeline(r *http.Request) (int, any, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, p.json(false), nil
}

func (s *Server) listStages(r *http.Request) (int, any, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, pageJSON[stageJSON]{Results: p.json(false).Stages}, nil
}

type stageInputJSON struct {
	Label        *string           `json:"label"`
	DisplayOrder *int              `json:"displayOrder"`
	Metadata     map[string]string `json:"metadata"`
}

type pipelineInputJSON struct {
	Label        *string          `json:"label"`
	DisplayOrder *int             `json:"displayOrder"`
	Archived     *bool            `json:"archived"`
	Stages       []stageInputJSON `json:"stages"`
}

func (s *Server) createPipeline(r *http.Request) (int, any, *apiError) {
	var in pipelineInputJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	typ := r.PathValue("type")
	if in.Label == nil || strings.TrimSpace(*in.Label) == "" || in.DisplayOrder == nil || len(in.Stages) == 0 {
		return 0, nil, badRequest("A pipeline needs label, displayOrder and at least one stage")
	}
	if s.pipelineLabelTaken(typ, *in.Label, "") {
		return 0, nil, conflict(fmt.Sprintf("A pipeline with label %s already exists", *in.Label))
	}
	now := s.now()
	p := &simPipeline{ID: s.pipelines.newID(), Label: *in.Label, DisplayOrder: *in.DisplayOrder, CreatedAt: now, UpdatedAt: now}
	for _, si := range in.Stages {
		st, e := s.newStage(typ, p, si, now)
		if e != nil {
			return 0, nil, e
		}
		p.Stages = append(p.Stages, st)
	}
	s.pipelines.byType[typ] = append(s.pipelines.byType[typ], p)
	return http.StatusCreated, p.json(false), nil
}

func (ps *pipelineStore) newID() string {
	ps.nextID++
	return strconv.FormatInt(ps.nextID, 10)
}

// newStage checks a stage input against its pipeline and makes the stage.
func (s *Server) newStage(typ string, p *simPipeline, in stageInputJSON, now time.Time) (*simStage, *apiError) {
	if in.Label == nil || strings.TrimSpace(*in.Label) == "" || in.DisplayOrder == nil || in.Metadata == nil {
		return nil, badRequest("A stage needs label, displayOrder and metadata")
	}
	if e := checkStageMetadata(typ, in.Metadata); e != nil {
		return nil, e
	}
	if stageLabelTaken(p, *in.Label, "") {
		return nil, conflict(fmt.Sprintf("A stage with label %s already exists in pipeline %s", *in.Label, p.ID))
	}
	meta := map[string]string{}
	for k, v := range in.Metadata {
		meta[k] = v
	}
	if typ == "deals" {
		// isClosed follows the probability: closed won or lost (a guess).
		meta["isClosed"] = strconv.FormatBool(meta["probability"] == "1.0" || meta["probability"] == "0.0" ||
			meta["probability"] == "1" || meta["probability"] == "0")
	}
	return &simStage{ID: s.pipelines.newID(), Label: *in.Label, DisplayOrder: *in.DisplayOrder, Metadata: meta,
		CreatedAt: now, UpdatedAt: now}, nil
}

// checkStageMetadata refuses a deal stage without a probability from 0.0
// to 1.0, and a ticket stage whose ticketState is neither OPEN nor CLOSED.
func checkStageMetadata(typ string, meta map[string]string) *apiError {
	switch typ {
	case "deals":
		p, err := strconv.ParseFloat(meta["probability"], 64)
		if err != nil || p < 0 || p > 1 {
			return badRequest(fmt.Sprintf("A deal stage needs metadata.probability between 0.0 and 1.0, not %q", meta["probability"]))
		}
	case "tickets":
		if st, ok := meta["ticketState"]; ok && st != "OPEN" && st != "CLOSED" {
			return badRequest(fmt.Sprintf("metadata.ticketState is OPEN or CLOSED, not %q", st))
		}
	}
	return nil
}

func (s *Server) pipelineLabelTaken(typ, label, except string) bool {
	return slices.ContainsFunc(s.pipelines.byType[typ], func(p *simPipeline) bool {
		return !p.Archived && p.ID != except && p.Label == label
	})
}

func stageLabelTaken(p *simPipeline, label, except string) bool {
	return slices.ContainsFunc(p.Stages, func(st *simStage) bool {
		return !st.Archived && st.ID != except && st.Label == label
	})
}

func (s *Server) patchPipeline(r *http.Request) (int, any, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return 0, nil, e
	}
	var in pipelineInputJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	if in.Archived != nil {
		// "This property should only be provided when restoring an
		// archived pipeline" (the spec's PipelinePatchInput).
		return 0, nil, badRequest("archived may only be sent to restore an archived pipeline")
	}
	if in.Label != nil {
		if s.pipelineLabelTaken(r.PathValue("type"), *in.Label, p.ID) {
			return 0, nil, conflict(fmt.Sprintf("A pipeline with label %s already exists", *in.Label))
		}
		p.Label = *in.Label
	}
	if in.DisplayOrder != nil {
		p.DisplayOrder = *in.DisplayOrder
	}
	p.UpdatedAt = s.now()
	return http.StatusOK, p.json(false), nil
}

func (s *Server) archivePipeline(r *http.Request) (int, any, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return 0, nil, e
	}
	now := s.now()
	p.Archived, p.ArchiveAt, p.UpdatedAt = true, now, now
	return http.StatusNoContent, nil, nil
}

func (s *Server) createStage(r *http.Request) (int, any, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return 0, nil, e
	}
	var in stageInputJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	st, e := s.newStage(r.PathValue("type"), p, in, s.now())
	if e != nil {
		return 0, nil, e
	}
	p.Stages = append(p.Stages, st)
	return http.StatusCreated, st.json(), nil
}

// liveStage finds the path's stage in its live pipeline.
func (s *Server) liveStage(r *http.Request) (*simPipeline, *simStage, *apiError) {
	p, e := s.livePipeline(r)
	if e != nil {
		return nil, nil, e
	}
	for _, st := range p.Stages {
		if st.ID == r.PathValue("stage") && !st.Archived {
			return p, st, nil
		}
	}
	return nil, nil, notFound(fmt.Sprintf("Unable to find stage %s of pipeline %s", r.PathValue("stage"), p.ID))
}

func (s *Server) patchStage(r *http.Request) (int, any, *apiError) {
	p, st, e := s.liveStage(r)
	if e != nil {
		return 0, nil, e
	}
	var in stageInputJSON
	if e := decodeBody(r, &in); e != nil {
		return 0, nil, e
	}
	if in.Metadata == nil {
		return 0, nil, badRequest("metadata is required") // the spec's PipelineStagePatchInput
	}
	if e := checkStageMetadata(r.PathValue("type"), in.Metadata); e != nil {
		return 0, nil, e
	}
	if in.Label != nil {
		if stageLabelTaken(p, *in.Label, st.ID) {
			return 0, nil, conflict(fmt.Sprintf("A stage with label %s already exists in pipeline %s", *in.Label, p.ID))
		}
		st.Label = *in.Label
	}
	if in.DisplayOrder != nil {
		st.DisplayOrder = *in.DisplayOrder
	}
	for k, v := range in.Metadata {
		st.Metadata[k] = v
	}
	st.UpdatedAt = s.now()
	return http.StatusOK, st.json(), nil
}

func (s *Server) archiveStage(r *http.Request) (int, any, *apiError) {
	_, st, e := s.liveStage(r)
	if e != nil {
		return 0, nil, e
	}
	now := s.now()
	st.Archived, st.ArchiveAt, st.UpdatedAt = true, now, now
	return http.StatusNoContent, nil, nil
}

// conflict is the answer to a label a pipeline or stage already has: 409,
// as the CMS APIs answer a taken key (a guess: the pipelines spec names no
// answer but its default error).
func conflict(message string) *apiError {
	return &apiError{status: http.StatusConflict, category: categoryConflict, message: message}
}
