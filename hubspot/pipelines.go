package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PipelinesService calls the pipelines API (/crm/pipelines/{version}/{objectType}):
// the pipelines of deals, tickets and the other types that have them, and
// their stages. The calls and bodies are those of the spec collection's
// PublicApiSpecs/CRM/Pipelines/Rollouts/145896/<version>/pipelines.json. The
// list of an object type's pipelines takes no query parameter at all (no
// paging, no filter by time, no archived flag): it is read whole.
type PipelinesService struct {
	client *Client
}

// Pipeline is a pipeline as HubSpot returns it (the spec's Pipeline), with
// its stages.
type Pipeline struct {
	ID           string          `json:"id"`
	Label        string          `json:"label"`
	DisplayOrder int             `json:"displayOrder"`
	Archived     bool            `json:"archived"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	ArchivedAt   *time.Time      `json:"archivedAt,omitempty"`
	Stages       []PipelineStage `json:"stages"`
}

// PipelineStage is a stage of a pipeline (the spec's PipelineStage). The
// stages of default pipelines have createdAt at the epoch (the spec says
// so).
type PipelineStage struct {
	ID           string        `json:"id"`
	Label        string        `json:"label"`
	DisplayOrder int           `json:"displayOrder"`
	Metadata     StageMetadata `json:"metadata"`
	Archived     bool          `json:"archived"`
	CreatedAt    time.Time     `json:"createdAt"`
	UpdatedAt    time.Time     `json:"updatedAt"`
	ArchivedAt   *time.Time    `json:"archivedAt,omitempty"`
	// WritePermissions is CRM_PERMISSIONS_ENFORCEMENT, READ_ONLY or
	// INTERNAL_ONLY.
	WritePermissions string `json:"writePermissions,omitempty"`
}

// StageMetadata is a stage's metadata: for deals, probability (0.0 to 1.0)
// and isClosed; for tickets, ticketState (OPEN or CLOSED). The spec types
// its values as strings; a number or a boolean is read as its JSON text
// all the same (a guess at what other accounts send).
type StageMetadata map[string]string

// The metadata keys the source gives fields of their own.
const (
	StageProbability = "probability"
	StageIsClosed    = "isClosed"
	StageTicketState = "ticketState"
)

// UnmarshalJSON reads each value as a string, a number or boolean as its
// JSON text.
func (m *StageMetadata) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("stage metadata: %w", err)
	}
	out := make(StageMetadata, len(raw))
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		switch {
		case len(v) == 0 || string(v) == "null":
			continue
		case v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("stage metadata %s: %w", k, err)
			}
			out[k] = s
		default:
			out[k] = string(v)
		}
	}
	*m = out
	return nil
}

// PipelineInput creates a pipeline (the spec's PipelineInput): label,
// display order and its stages, at least one.
type PipelineInput struct {
	Label        string       `json:"label"`
	DisplayOrder int          `json:"displayOrder"`
	Stages       []StageInput `json:"stages"`
}

// PipelinePatch changes a pipeline (the spec's PipelinePatchInput); nil
// fields stay.
type PipelinePatch struct {
	Label        *string `json:"label,omitempty"`
	DisplayOrder *int    `json:"displayOrder,omitempty"`
}

// StageInput creates a stage (the spec's PipelineStageInput); a deal
// stage's metadata needs probability.
type StageInput struct {
	Label        string            `json:"label"`
	DisplayOrder int               `json:"displayOrder"`
	Metadata     map[string]string `json:"metadata"`
}

// StagePatch changes a stage (the spec's PipelineStagePatchInput, whose
// metadata is required).
type StagePatch struct {
	Label        *string           `json:"label,omitempty"`
	DisplayOrder *int              `json:"displayOrder,omitempty"`
	Metadata     map[string]string `json:"metadata"`
}

type pipelineList struct {
	Results []Pipeline `json:"results"`
}

// List returns every pipeline of the object type, with its stages.
func (s *PipelinesService) List(ctx context.Context, objectType string) ([]Pipeline, error) {
	var out pipelineList
	if err := s.client.get(ctx, s.client.path(APIPipelines, objectType), nil, &out); err != nil {
		return nil, fmt.Errorf("list the pipelines of %s: %w", objectType, err)
	}
	return out.Results, nil
}

// Create creates a pipeline with its stages.
func (s *PipelinesService) Create(ctx context.Context, objectType string, in PipelineInput) (*Pipeline, error) {
	p, err := cmsCreate[Pipeline](ctx, s.client, s.client.path(APIPipelines, objectType), in)
	if err != nil {
		return nil, fmt.Errorf("create a %s pipeline: %w", objectType, err)
	}
	return p, nil
}

// Update patches a pipeline.
func (s *PipelinesService) Update(ctx context.Context, objectType, id string, in PipelinePatch) (*Pipeline, error) {
	p, err := cmsUpdate[Pipeline](ctx, s.client, s.client.path(APIPipelines, objectType, id), in)
	if err != nil {
		return nil, fmt.Errorf("update %s pipeline %s: %w", objectType, id, err)
	}
	return p, nil
}

// Archive archives a pipeline (204).
func (s *PipelinesService) Archive(ctx context.Context, objectType, id string) error {
	if err := cmsDelete(ctx, s.client, s.client.path(APIPipelines, objectType, id)); err != nil {
		return fmt.Errorf("archive %s pipeline %s: %w", objectType, id, err)
	}
	return nil
}

// CreateStage adds a stage to a pipeline.
func (s *PipelinesService) CreateStage(ctx context.Context, objectType, pipelineID string, in StageInput) (*PipelineStage, error) {
	st, err := cmsCreate[PipelineStage](ctx, s.client, s.client.path(APIPipelines, objectType, pipelineID, "stages"), in)
	if err != nil {
		return nil, fmt.Errorf("create a stage of %s pipeline %s: %w", objectType, pipelineID, err)
	}
	return st, nil
}

// UpdateStage patches a stage.
func (s *PipelinesService) UpdateStage(ctx context.Context, objectType, pipelineID, stageID string, in StagePatch) (*PipelineStage, error) {
	st, err := cmsUpdate[PipelineStage](ctx, s.client, s.client.path(APIPipelines, objectType, pipelineID, "stages", stageID), in)
	if err != nil {
		return nil, fmt.Errorf("update stage %s of %s pipeline %s: %w", stageID, objectType, pipelineID, err)
	}
	return st, nil
}

// ArchiveStage archives a stage (204).
func (s *PipelinesService) ArchiveStage(ctx context.Context, objectType, pipelineID, stageID string) error {
	if err := cmsDelete(ctx, s.client, s.client.path(APIPipelines, objectType, pipelineID, "stages", stageID)); err != nil {
		return fmt.Errorf("archive stage %s of %s pipeline %s: %w", stageID, objectType, pipelineID, err)
	}
	return nil
}
