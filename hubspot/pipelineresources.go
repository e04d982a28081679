package hubspot

// PipelineSpec is what a KindPipelines resource reads and writes: the
// pipelines of ObjectType, or, with Stages, their stages.
type PipelineSpec struct {
	// ObjectType is the type whose pipelines these are, as the pipelines
	// API's path names it ("deals", "tickets").
	ObjectType string
	// Stages says that the resource's records are the stages, each with
	// its pipeline's id, label and display order.
	Stages bool
}

// The pipeline resources: deals' and tickets' pipelines and stages, the two
// types every account has pipelines of
// (https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide).
const (
	DealPipelinesResourceName        = "deal_pipelines"
	DealPipelineStagesResourceName   = "deal_pipeline_stages"
	TicketPipelinesResourceName      = "ticket_pipelines"
	TicketPipelineStagesResourceName = "ticket_pipeline_stages"
)

// pipelineResources are the rows of the pipeline resources: listed whole,
// created, updated and archived one by one; no search, no batch calls.
func pipelineResources() []Resource {
	row := func(name, objectType string, stages bool) Resource {
		return Resource{Name: name, Kind: KindPipelines, NaturalKey: "label",
			Ops:       OpList | OpCreate | OpUpdate | OpArchive,
			Pipelines: &PipelineSpec{ObjectType: objectType, Stages: stages}}
	}
	return []Resource{
		row(DealPipelinesResourceName, "deals", false),
		row(DealPipelineStagesResourceName, "deals", true),
		row(TicketPipelinesResourceName, "tickets", false),
		row(TicketPipelineStagesResourceName, "tickets", true),
	}
}
