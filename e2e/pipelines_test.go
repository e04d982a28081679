package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
)

// dealStages is what PostgreSQL answers the example's join: each deal's
// name, its stage's label, pipeline label and probability, by deal name.
func dealStages(t *testing.T, pg *pgtest.Cluster) string {
	t.Helper()
	out, err := pg.Psql(`SELECT d.dealname, s.label, s."pipelineLabel", s.probability, p."displayOrder"
		FROM deals d JOIN deal_pipeline_stages s ON s.id = d.dealstage
		JOIN deal_pipelines p ON p.id = s."pipelineId" ORDER BY d.dealname`)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// TestDealPipelinesToPostgres: deals with their pipelines and stages reach
// PostgreSQL through Conduit's builtin postgres destination
// (examples/hubspot-deal-pipelines-to-postgres.yaml), and a SQL join gives
// each deal's stage and pipeline by name; a pipeline renamed, a stage
// renamed and a new pipeline with a deal in it follow.
func TestDealPipelinesToPostgres(t *testing.T) {
	pg := pgtest.StartT(t)
	if _, err := pg.Psql(pgtest.DealPipelineTables); err != nil {
		t.Fatal(err)
	}
	srv := newSim(t)
	ctx := context.Background()
	api, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(api.Close)
	for i, stage := range []string{"appointmentscheduled", "closedwon", "closedwon"} {
		if _, err := srv.Create("deals", map[string]string{"dealname": fmt.Sprintf("D%d", i), "dealstage": stage, "pipeline": "default"}); err != nil {
			t.Fatal(err)
		}
	}
	env := sourceEnv(srv, "")
	env["POSTGRES_URL"] = pg.URL("postgres")
	c := startConduit(t, t.TempDir(), "hubspot-deal-pipelines-to-postgres.yaml", env)
	want := strings.Join([]string{
		"D0|Appointment Scheduled|Sales Pipeline|0.2|0",
		"D1|Closed Won|Sales Pipeline|1|0",
		"D2|Closed Won|Sales Pipeline|1|0",
	}, "\n")
	c.waitForWhy(t, "the snapshot joined in PostgreSQL", time.Minute, func() (bool, string) {
		got := dealStages(t, pg)
		return got == want, fmt.Sprintf("the join is\n%s\nwant\n%s", got, want)
	})

	renamed, won := "New Business", "Won"
	if _, err := api.Pipelines.Update(ctx, "deals", "default", hubspot.PipelinePatch{Label: &renamed}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Pipelines.UpdateStage(ctx, "deals", "default", "closedwon", hubspot.StagePatch{Label: &won, Metadata: map[string]string{"probability": "1.0"}}); err != nil {
		t.Fatal(err)
	}
	p, err := api.Pipelines.Create(ctx, "deals", hubspot.PipelineInput{Label: "Renewals", DisplayOrder: 1, Stages: []hubspot.StageInput{
		{Label: "Up for renewal", Metadata: map[string]string{"probability": "0.5"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Create("deals", map[string]string{"dealname": "D3", "dealstage": p.Stages[0].ID, "pipeline": p.ID}); err != nil {
		t.Fatal(err)
	}
	want = strings.Join([]string{
		"D0|Appointment Scheduled|New Business|0.2|0",
		"D1|Won|New Business|1|0",
		"D2|Won|New Business|1|0",
		"D3|Up for renewal|Renewals|0.5|1",
	}, "\n")
	c.waitForWhy(t, "the changes joined in PostgreSQL", time.Minute, func() (bool, string) {
		got := dealStages(t, pg)
		return got == want, fmt.Sprintf("the join is\n%s\nwant\n%s", got, want)
	})
	stages, err := pg.Psql(`SELECT count(*) FROM deal_pipeline_stages`)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.TrimSpace(stages); n != "8" {
		t.Fatalf("deal_pipeline_stages holds %s rows, want the 7 default stages and the new one", n)
	}
}
