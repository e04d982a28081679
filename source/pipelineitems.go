package source

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// The records of the pipeline resources: one per pipeline, or one per
// stage, which carries its pipeline's id, label and display order beside
// its own fields, so that a stage id in a deal's dealstage reads as the
// stage and pipeline it names. A deal stage's probability and isClosed,
// and a ticket stage's ticketState, have fields of their own; the whole
// metadata is a JSON string too, for the keys other types have.

// Field names of the pipeline records, besides id and the times.
const (
	pipeFieldLabel         = "label"
	pipeFieldDisplayOrder  = "displayOrder"
	pipeFieldObjectType    = "objectType"
	pipeFieldPipelineID    = "pipelineId"
	pipeFieldPipelineLabel = "pipelineLabel"
	pipeFieldPipelineOrder = "pipelineDisplayOrder"
	pipeFieldMetadata      = "metadata"
	pipeFieldWrite         = "writePermissions"
)

// pipelineFields are the typed fields of a pipeline resource's payloads.
func pipelineFields(spec hubspot.PipelineSpec) []hubspot.Property {
	text := func(name string) hubspot.Property { return hubspot.Property{Name: name, Type: "string"} }
	number := func(name string) hubspot.Property { return hubspot.Property{Name: name, Type: "number"} }
	out := []hubspot.Property{text(pipeFieldLabel), number(pipeFieldDisplayOrder), text(pipeFieldObjectType)}
	if !spec.Stages {
		return out
	}
	out = append(out, text(pipeFieldPipelineID), text(pipeFieldPipelineLabel), number(pipeFieldPipelineOrder),
		text(pipeFieldMetadata), text(pipeFieldWrite))
	switch spec.ObjectType {
	case "deals":
		out = append(out, number(hubspot.StageProbability), hubspot.Property{Name: hubspot.StageIsClosed, Type: "bool"})
	case "tickets":
		out = append(out, text(hubspot.StageTicketState))
	}
	return out
}

// pipelineItem is a pipeline or stage as the source emits it, and whether
// HubSpot lists it archived.
type pipelineItem struct {
	item
	archived bool
}

// pipelineItems are the records' items of a list answer, in the list's
// order: its pipelines, or their stages. A stage of an archived pipeline
// is archived with it.
func pipelineItems(spec hubspot.PipelineSpec, list []hubspot.Pipeline) ([]pipelineItem, error) {
	var out []pipelineItem
	for _, p := range list {
		if !spec.Stages {
			props := hubspot.Properties{
				pipeFieldLabel:        hubspot.String(p.Label),
				pipeFieldDisplayOrder: hubspot.String(strconv.Itoa(p.DisplayOrder)),
				pipeFieldObjectType:   hubspot.String(spec.ObjectType),
			}
			out = append(out, newPipelineItem(p.ID, props, p.CreatedAt, p.UpdatedAt, p.ArchivedAt, p.Archived))
			continue
		}
		for _, st := range p.Stages {
			meta, err := json.Marshal(st.Metadata)
			if err != nil {
				return nil, fmt.Errorf("stage %s of pipeline %s: metadata: %w", st.ID, p.ID, err)
			}
			props := hubspot.Properties{
				pipeFieldLabel:         hubspot.String(st.Label),
				pipeFieldDisplayOrder:  hubspot.String(strconv.Itoa(st.DisplayOrder)),
				pipeFieldObjectType:    hubspot.String(spec.ObjectType),
				pipeFieldPipelineID:    hubspot.String(p.ID),
				pipeFieldPipelineLabel: hubspot.String(p.Label),
				pipeFieldPipelineOrder: hubspot.String(strconv.Itoa(p.DisplayOrder)),
				pipeFieldMetadata:      hubspot.String(string(meta)),
				pipeFieldWrite:         hubspot.String(st.WritePermissions),
			}
			for _, k := range []string{hubspot.StageProbability, hubspot.StageIsClosed, hubspot.StageTicketState} {
				if v, ok := st.Metadata[k]; ok {
					props[k] = hubspot.String(v)
				}
			}
			archivedAt := st.ArchivedAt
			if archivedAt == nil {
				archivedAt = p.ArchivedAt
			}
			out = append(out, newPipelineItem(st.ID, props, st.CreatedAt, st.UpdatedAt, archivedAt, st.Archived || p.Archived))
		}
	}
	return out, nil
}

func newPipelineItem(id string, props hubspot.Properties, created, updated time.Time, archivedAt *time.Time, archived bool) pipelineItem {
	return pipelineItem{
		item:     item{id: id, key: keyset{ts: updated.UTC()}, row: hubspot.Row{Properties: props}, createdAt: created.UTC(), archivedAt: archivedAt},
		archived: archived,
	}
}

// PipelineSeen is what a position remembers of a pipeline or stage it
// emitted: the digest of its record, which tells a change, and what a
// mirror finds it by once it is gone (its label, and a stage's pipeline's).
type PipelineSeen struct {
	Sum           string `json:"sum"`
	Label         string `json:"label"`
	PipelineID    string `json:"pipelineId,omitempty"`
	PipelineLabel string `json:"pipelineLabel,omitempty"`
}

// seenOf is what a position remembers of it.
func seenOf(it item) PipelineSeen {
	get := func(name string) string { v, _ := it.row.Properties.Get(name); return v }
	return PipelineSeen{
		Sum: stableSum(it.row.Properties), Label: get(pipeFieldLabel),
		PipelineID: get(pipeFieldPipelineID), PipelineLabel: get(pipeFieldPipelineLabel),
	}
}

// goneItem is what the position remembers of a pipeline or stage, as of
// at: the delete of one that the list no longer shows live (gone: at the
// time HubSpot gave it, or the time of the list that showed it gone), or
// the before image of an update.
func goneItem(id string, seen PipelineSeen, at time.Time, gone bool) item {
	props := hubspot.Properties{pipeFieldLabel: hubspot.String(seen.Label)}
	if seen.PipelineID != "" {
		props[pipeFieldPipelineID] = hubspot.String(seen.PipelineID)
		props[pipeFieldPipelineLabel] = hubspot.String(seen.PipelineLabel)
	}
	it := item{id: id, key: keyset{ts: at.UTC()}, row: hubspot.Row{Properties: props}}
	if gone {
		it.archivedAt = timePtr(at.UTC())
	}
	return it
}

// sortedIDs are the ids of a position's pipelines, in order, so that the
// deletes of one poll come in the same order on every run.
func sortedIDs(m map[string]PipelineSeen) []string {
	return slices.Sorted(maps.Keys(m))
}
