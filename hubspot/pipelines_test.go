package hubspot_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestPipelinesRoundTrip: at every version, the client lists the seeded
// deal pipeline with its stages at the version's path, creates a pipeline
// and a stage, renames both and archives them, and the list follows.
func TestPipelinesRoundTrip(t *testing.T) {
	paths := map[hubspot.APIVersion]string{
		hubspot.Version202609: "GET /crm/pipelines/2026-09/deals",
		hubspot.Version202603: "GET /crm/pipelines/2026-03/deals",
		hubspot.VersionLegacy: "GET /crm/v3/pipelines/deals",
	}
	for _, v := range hubspot.APIVersions() {
		t.Run(string(v), func(t *testing.T) {
			is := is.New(t)
			ctx := context.Background()
			srv := newSim(t)
			svc := simClient(t, srv, hubspot.WithAPIVersion(v)).Pipelines

			list, err := svc.List(ctx, "deals")
			is.NoErr(err)
			is.Equal(len(list), 1)
			is.Equal(list[0].ID, "default")
			is.Equal(len(list[0].Stages), 7)
			won := list[0].Stages[5]
			is.Equal(won.ID, "closedwon")
			is.Equal(won.Metadata[hubspot.StageProbability], "1.0")
			is.Equal(won.Metadata[hubspot.StageIsClosed], "true")
			is.Equal(srv.Calls()[paths[v]], 1)

			p, err := svc.Create(ctx, "deals", hubspot.PipelineInput{Label: "Renewals", DisplayOrder: 1, Stages: []hubspot.StageInput{
				{Label: "Open", DisplayOrder: 0, Metadata: map[string]string{"probability": "0.5"}},
			}})
			is.NoErr(err)
			is.Equal(p.Stages[0].Metadata[hubspot.StageIsClosed], "false")
			st, err := svc.CreateStage(ctx, "deals", p.ID, hubspot.StageInput{Label: "Won", DisplayOrder: 1, Metadata: map[string]string{"probability": "1.0"}})
			is.NoErr(err)
			label := "Renewals 2027"
			_, err = svc.Update(ctx, "deals", p.ID, hubspot.PipelinePatch{Label: &label})
			is.NoErr(err)
			stLabel := "Signed"
			_, err = svc.UpdateStage(ctx, "deals", p.ID, st.ID, hubspot.StagePatch{Label: &stLabel, Metadata: map[string]string{"probability": "1.0"}})
			is.NoErr(err)

			list, err = svc.List(ctx, "deals")
			is.NoErr(err)
			is.Equal(len(list), 2)
			is.Equal(list[1].Label, "Renewals 2027")
			is.Equal(list[1].Stages[1].Label, "Signed")

			is.NoErr(svc.ArchiveStage(ctx, "deals", p.ID, st.ID))
			list, err = svc.List(ctx, "deals")
			is.NoErr(err)
			is.Equal(len(list[1].Stages), 1) // the archived stage is not listed
			is.NoErr(svc.Archive(ctx, "deals", p.ID))
			list, err = svc.List(ctx, "deals")
			is.NoErr(err)
			is.Equal(len(list), 1)
		})
	}
}

// TestPipelineRules: the simulator refuses what the pipelines guide and
// spec refuse: a deal stage without probability, a taken label, a ticket
// state other than OPEN or CLOSED; WithArchivedPipelinesListed lists the
// archived.
func TestPipelineRules(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithArchivedPipelinesListed())
	svc := simClient(t, srv).Pipelines

	_, err := svc.Create(ctx, "deals", hubspot.PipelineInput{Label: "X", Stages: []hubspot.StageInput{{Label: "A", Metadata: map[string]string{}}}})
	is.Equal(hubspot.StatusCode(err), http.StatusBadRequest)
	_, err = svc.Create(ctx, "deals", hubspot.PipelineInput{Label: "Sales Pipeline", Stages: []hubspot.StageInput{{Label: "A", Metadata: map[string]string{"probability": "0.1"}}}})
	is.Equal(hubspot.StatusCode(err), http.StatusConflict)
	_, err = svc.CreateStage(ctx, "deals", "default", hubspot.StageInput{Label: "Closed Won", Metadata: map[string]string{"probability": "1.0"}})
	is.Equal(hubspot.StatusCode(err), http.StatusConflict)
	_, err = svc.Create(ctx, "tickets", hubspot.PipelineInput{Label: "Escalations", Stages: []hubspot.StageInput{{Label: "A", Metadata: map[string]string{"ticketState": "MAYBE"}}}})
	is.Equal(hubspot.StatusCode(err), http.StatusBadRequest)

	is.NoErr(svc.ArchiveStage(ctx, "tickets", "0", "4"))
	list, err := svc.List(ctx, "tickets")
	is.NoErr(err)
	is.Equal(len(list[0].Stages), 4)
	is.True(list[0].Stages[3].Archived)
	is.True(list[0].Stages[3].ArchivedAt != nil)
}
