package source_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// pipelineBehaviours are the simulator's two readings of what the
// pipelines list shows of archived pipelines and stages (no document says).
var pipelineBehaviours = map[string][]hubspottest.Option{
	"archived left out": nil,
	"archived listed":   {hubspottest.WithArchivedPipelinesListed()},
}

// livePipelines is HubSpot's truth: the live deal pipelines and, by id,
// their live stages' labels and pipelines' labels.
func livePipelines(t *testing.T, api *hubspot.PipelinesService) (map[string]string, map[string][2]string) {
	t.Helper()
	list, err := api.List(context.Background(), "deals")
	if err != nil {
		t.Fatal(err)
	}
	pipelines, stages := map[string]string{}, map[string][2]string{}
	for _, p := range list {
		if p.Archived {
			continue
		}
		pipelines[p.ID] = p.Label
		for _, st := range p.Stages {
			if !st.Archived {
				stages[st.ID] = [2]string{st.Label, p.Label}
			}
		}
	}
	return pipelines, stages
}

// checkPipelineReplicas compares what the records of deal_pipelines and
// deal_pipeline_stages built with HubSpot's live pipelines and stages.
func checkPipelineReplicas(t *testing.T, recs []opencdc.Record, api *hubspot.PipelinesService) {
	t.Helper()
	byCollection := map[string][]opencdc.Record{}
	for _, r := range recs {
		col, err := r.Metadata.GetCollection()
		if err != nil {
			t.Fatal(err)
		}
		byCollection[col] = append(byCollection[col], r)
	}
	pipes, stages := newReplica(), newReplica()
	pipes.apply(t, byCollection[hubspot.DealPipelinesResourceName])
	stages.apply(t, byCollection[hubspot.DealPipelineStagesResourceName])
	wantPipes, wantStages := livePipelines(t, api)
	gotPipes, gotStages := map[string]string{}, map[string][2]string{}
	for id, p := range pipes.objects {
		gotPipes[id] = fmt.Sprint(p["label"])
	}
	for id, p := range stages.objects {
		gotStages[id] = [2]string{fmt.Sprint(p["label"]), fmt.Sprint(p["pipelineLabel"])}
	}
	if fmt.Sprint(gotPipes) != fmt.Sprint(wantPipes) {
		t.Errorf("pipelines:\n got %v\nwant %v", gotPipes, wantPipes)
	}
	if fmt.Sprint(gotStages) != fmt.Sprint(wantStages) {
		t.Errorf("stages:\n got %v\nwant %v", gotStages, wantStages)
	}
	pipes.deletedOnce(t, "pipeline")
	stages.deletedOnce(t, "stage")
}

var pipelineSettings = map[string]string{"resource": "", "resources": "deals,deal_pipelines,deal_pipeline_stages"}

// TestPipelinesSnapshotThenCDC: beside deals, the deal pipelines and their
// stages come as a snapshot, one typed record per pipeline and per stage in
// a collection of each resource, a stage carrying its pipeline's id, label
// and order and its probability and isClosed; then a new pipeline is
// creates, a renamed pipeline an update of it and of each of its stages,
// an archived stage or pipeline deletes (of the pipeline and of its
// stages), under both readings of the archived in the list.
func TestPipelinesSnapshotThenCDC(t *testing.T) {
	for name, opts := range pipelineBehaviours {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t, opts...)
			api := apiClient(t, e).Pipelines
			seed(t, e.srv, "deals", 3)
			src := openSource(t, e, pipelineSettings, nil)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 3 + 1 + 7})
			encodes(t, recs)
			for _, r := range recs {
				col, err := r.Metadata.GetCollection()
				is.NoErr(err)
				if col != hubspot.DealPipelineStagesResourceName || recordID(t, r) != "closedwon" {
					continue
				}
				p := payload(t, r)
				is.Equal(p["pipelineId"], "default")
				is.Equal(p["pipelineLabel"], "Sales Pipeline")
				is.Equal(p["pipelineDisplayOrder"], float64(0))
				is.Equal(p["probability"], float64(1))
				is.Equal(p["isClosed"], true)
				is.Equal(p["label"], "Closed Won")
				subject, err := r.Metadata.GetPayloadSchemaSubject()
				is.NoErr(err)
				is.Equal(subject, "deal_pipeline_stages.payload")
			}

			ctx := context.Background()
			e.tick()
			created, err := api.Create(ctx, "deals", hubspot.PipelineInput{Label: "Renewals", DisplayOrder: 1, Stages: []hubspot.StageInput{
				{Label: "Open", Metadata: map[string]string{"probability": "0.5"}},
				{Label: "Won", DisplayOrder: 1, Metadata: map[string]string{"probability": "1.0"}},
			}})
			is.NoErr(err)
			renamed := "New Business"
			_, err = api.Update(ctx, "deals", "default", hubspot.PipelinePatch{Label: &renamed})
			is.NoErr(err)
			is.NoErr(api.ArchiveStage(ctx, "deals", "default", "contractsent"))
			e.clock.Advance(time.Second)
			cdc := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			// 3 creates (the pipeline, its 2 stages), 1 + 6 updates (the
			// renamed pipeline, its stages left), 1 delete.
			is.Equal(countOps(cdc), map[opencdc.Operation]int{opencdc.OperationCreate: 3, opencdc.OperationUpdate: 7, opencdc.OperationDelete: 1})
			encodes(t, cdc)
			for _, r := range cdc {
				if r.Operation == opencdc.OperationUpdate && recordID(t, r) == "default" {
					// The label a mirror knows the pipeline by comes
					// before the new one.
					is.Equal(source.StructuredPayload(t, r, r.Payload.Before)["label"], "Sales Pipeline")
					is.Equal(payload(t, r)["label"], "New Business")
				}
			}

			is.NoErr(api.Archive(ctx, "deals", created.ID))
			e.clock.Advance(time.Second)
			gone := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(gone), map[opencdc.Operation]int{opencdc.OperationDelete: 3})
			for _, r := range gone {
				if col, _ := r.Metadata.GetCollection(); col == hubspot.DealPipelineStagesResourceName {
					is.Equal(payload(t, r)["pipelineLabel"], "Renewals") // the mirror finds it by it
				}
			}
			checkPipelineReplicas(t, append(append(recs, cdc...), gone...), api)
		})
	}
}

// changePipelines makes n random changes to the deal pipelines: a new
// pipeline, a new stage, a renamed pipeline or stage, an archived stage or
// pipeline (never the default one's last).
func changePipelines(t *testing.T, api *hubspot.PipelinesService, rng *rand.Rand, next *int, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		list, err := api.List(ctx, "deals")
		if err != nil {
			t.Fatal(err)
		}
		var live []hubspot.Pipeline
		for _, p := range list {
			if !p.Archived {
				p.Stages = slices.DeleteFunc(p.Stages, func(st hubspot.PipelineStage) bool { return st.Archived })
				live = append(live, p)
			}
		}
		p := live[rng.IntN(len(live))]
		*next++
		label := fmt.Sprintf("L%d", *next)
		probability := map[string]string{"probability": "0.3"}
		switch rng.IntN(6) {
		case 0:
			_, err = api.Create(ctx, "deals", hubspot.PipelineInput{Label: label, Stages: []hubspot.StageInput{{Label: "S", Metadata: probability}}})
		case 1:
			_, err = api.CreateStage(ctx, "deals", p.ID, hubspot.StageInput{Label: label, Metadata: probability})
		case 2:
			_, err = api.Update(ctx, "deals", p.ID, hubspot.PipelinePatch{Label: &label})
		case 3:
			st := p.Stages[rng.IntN(len(p.Stages))]
			_, err = api.UpdateStage(ctx, "deals", p.ID, st.ID, hubspot.StagePatch{Label: &label, Metadata: probability})
		case 4:
			if len(p.Stages) > 1 {
				err = api.ArchiveStage(ctx, "deals", p.ID, p.Stages[rng.IntN(len(p.Stages))].ID)
			}
		default:
			if p.ID != "default" {
				err = api.Archive(ctx, "deals", p.ID)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestPipelinesRestartAtAckedPositions: random pipeline and stage changes
// during and after the snapshot, the source stopped 10 times at a random
// acked position and opened there again: the records build HubSpot's live
// pipelines and stages, and none is deleted twice.
func TestPipelinesRestartAtAckedPositions(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e := newEnv(t, pipelineBehaviours[[]string{"archived left out", "archived listed"}[seed%2]]...)
			api := apiClient(t, e).Pipelines
			rng := rand.New(rand.NewPCG(seed, 28))
			next := 0
			settings := map[string]string{"resource": "", "resources": "deal_pipelines,deal_pipeline_stages"}
			src := openSource(t, e, settings, nil)
			var acked []opencdc.Record
			for restarts := 0; restarts < 10; {
				e.tick()
				changePipelines(t, api, rng, &next, 3)
				e.clock.Advance(10 * time.Millisecond) // the next pass is due
				var got []opencdc.Record
				if got, src = readAndRestart(t, e, src, settings, rng, 4, 10); len(got) > 0 {
					acked = append(acked, got...)
					restarts++
				}
			}
			acked = append(acked, e.readQuiet(t, src, 100*time.Millisecond, time.Minute)...)
			checkPipelineReplicas(t, acked, api)
			t.Logf("%d records acked: %v", len(acked), countOps(acked))
		})
	}
}

// TestPipelinesPacedLikeDeletes: a caught-up source reads the pipelines
// list once each deletesPollingPeriod, not each pollingPeriod; with the
// snapshot off, it starts from what the list shows and emits only what
// changes after.
func TestPipelinesPacedLikeDeletes(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	api := apiClient(t, e).Pipelines
	settings := map[string]string{"resource": "deal_pipeline_stages", "snapshot": "false", "deletesPollingPeriod": "1m"}
	src := openSource(t, e, settings, nil)
	is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 0)
	listed := func() int { return e.srv.Calls()["GET /crm/pipelines/2026-09/deals"] }
	is.Equal(listed(), 2) // the access check and the first pass

	label := "Qualified"
	_, err := api.UpdateStage(context.Background(), "deals", "default", "qualifiedtobuy", hubspot.StagePatch{Label: &label, Metadata: map[string]string{"probability": "0.4"}})
	is.NoErr(err)
	for range 5 {
		e.clock.Advance(5 * time.Second)
		is.Equal(len(e.readQuiet(t, src, 100*time.Millisecond, time.Minute)), 0)
	}
	is.Equal(listed(), 2) // 25 s and many polls later, no pass yet
	e.clock.Advance(time.Minute)
	recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationUpdate: 1})
	is.Equal(payload(t, recs[0])["label"], "Qualified")
	is.Equal(listed(), 3)
}

// TestTicketPipelineStages: the tickets' stages carry ticketState and no
// deal fields, typed and with their schema; a pipeline added to the
// tickets is a create of its pipeline record.
func TestTicketPipelineStages(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	settings := map[string]string{"resource": "", "resources": "ticket_pipelines,ticket_pipeline_stages"}
	src := openSource(t, e, settings, nil)
	recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 1 + 4})
	encodes(t, recs)
	states := map[string]any{}
	for _, r := range recs {
		p := payload(t, r)
		if col, _ := r.Metadata.GetCollection(); col == hubspot.TicketPipelineStagesResourceName {
			states[recordID(t, r)] = p["ticketState"]
			_, hasProbability := p["probability"]
			is.True(!hasProbability)
			is.Equal(p["pipelineLabel"], "Support Pipeline")
		}
	}
	is.Equal(states, map[string]any{"1": "OPEN", "2": "OPEN", "3": "OPEN", "4": "CLOSED"})

	_, err := apiClient(t, e).Pipelines.Create(context.Background(), "tickets", hubspot.PipelineInput{Label: "Escalations",
		Stages: []hubspot.StageInput{{Label: "Open", Metadata: map[string]string{"ticketState": "OPEN"}}}})
	is.NoErr(err)
	e.clock.Advance(time.Second)
	cdc := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
	is.Equal(countOps(cdc), map[opencdc.Operation]int{opencdc.OperationCreate: 2})
}
