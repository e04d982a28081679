package destination_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
)

// pipelinesByLabel is an account's live deal pipelines as a mirror
// compares them: by label, each stage's label, order and probability.
func pipelinesByLabel(t *testing.T, api *hubspot.PipelinesService) map[string]string {
	t.Helper()
	list, err := api.List(context.Background(), "deals")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range list {
		if p.Archived {
			continue
		}
		var stages []string
		for _, st := range p.Stages {
			if !st.Archived {
				stages = append(stages, fmt.Sprintf("%s@%d:%s", st.Label, st.DisplayOrder, st.Metadata[hubspot.StageProbability]))
			}
		}
		slices.Sort(stages)
		out[p.Label] = fmt.Sprintf("%d %s", p.DisplayOrder, strings.Join(stages, ","))
	}
	return out
}

func simAPI(t *testing.T, srv *hubspottest.Server) *hubspot.PipelinesService {
	t.Helper()
	c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL), hubspot.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.Pipelines
}

// TestPipelinesMirror: the source's deal pipelines and stages, routed by
// collection into another account, make its pipelines match by label: a
// new pipeline with its stages, a renamed pipeline and stage, a new
// stage, an archived stage and pipeline; also across a restart of the
// destination, which finds a renamed pipeline by the label the update's
// before image holds, and where both accounts' default pipeline has the
// same id.
func TestPipelinesMirror(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	from, to := newSim(t), newSim(t)
	fromAPI, toAPI := simAPI(t, from), simAPI(t, to)
	// The mirror's default pipeline and a stage of it were renamed: found
	// by their ids, as both accounts' default pipeline has them.
	other, otherStage := "Pipeline of the mirror", "Won in the mirror"
	_, err := toAPI.Update(ctx, "deals", "default", hubspot.PipelinePatch{Label: &other})
	is.NoErr(err)
	_, err = toAPI.UpdateStage(ctx, "deals", "default", "closedwon", hubspot.StagePatch{Label: &otherStage, Metadata: map[string]string{"probability": "1.0"}})
	is.NoErr(err)
	// The mirror's ids differ from the source's from here on.
	gone, err := toAPI.Create(ctx, "deals", hubspot.PipelineInput{Label: "Gone", Stages: []hubspot.StageInput{{Label: "A", Metadata: map[string]string{"probability": "0.1"}}}})
	is.NoErr(err)
	is.NoErr(toAPI.Archive(ctx, "deals", gone.ID))

	src := source.NewSource(source.WithClientOptions(hubspot.WithoutRateLimit()))
	is.NoErr(sdk.Util.ParseConfig(ctx, config.Config{
		"accessToken": from.Token, "baseURL": from.URL, "resources": "deal_pipelines,deal_pipeline_stages",
		"pollingPeriod": "5ms", "deletesPollingPeriod": "5ms",
	}, src.Config(), connector.Connector.NewSpecification().SourceParams))
	is.NoErr(src.Open(ctx, nil))
	defer func() { _ = src.Teardown(ctx) }()
	dst := decoded.Destination(openDestination(t, to, map[string]string{"resource": ""}))

	move := func() {
		deadline := time.Now().Add(time.Minute)
		for fmt.Sprint(pipelinesByLabel(t, fromAPI)) != fmt.Sprint(pipelinesByLabel(t, toAPI)) {
			if time.Now().After(deadline) {
				t.Fatalf("the mirror differs:\n from %v\n   to %v", pipelinesByLabel(t, fromAPI), pipelinesByLabel(t, toAPI))
			}
			rctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			recs, err := src.ReadN(rctx, 100)
			cancel()
			if err != nil {
				continue
			}
			n, err := dst.Write(ctx, recs)
			is.NoErr(err)
			is.Equal(n, len(recs))
		}
	}
	move()

	created, err := fromAPI.Create(ctx, "deals", hubspot.PipelineInput{Label: "Renewals", DisplayOrder: 2, Stages: []hubspot.StageInput{
		{Label: "Open", Metadata: map[string]string{"probability": "0.5"}},
		{Label: "Won", DisplayOrder: 1, Metadata: map[string]string{"probability": "1.0"}},
	}})
	is.NoErr(err)
	won := created.Stages[1].ID
	newLabel, signed := "Renewals 2027", "Signed"
	_, err = fromAPI.Update(ctx, "deals", created.ID, hubspot.PipelinePatch{Label: &newLabel})
	is.NoErr(err)
	_, err = fromAPI.UpdateStage(ctx, "deals", created.ID, won, hubspot.StagePatch{Label: &signed, Metadata: map[string]string{"probability": "0.9"}})
	is.NoErr(err)
	is.NoErr(fromAPI.ArchiveStage(ctx, "deals", "default", "contractsent"))
	move()
	is.Equal(len(pipelinesByLabel(t, toAPI)), 2)

	// A new destination knows no ids: the renames find their pipeline
	// and stage by the labels before.
	is.NoErr(dst.Teardown(ctx))
	dst = decoded.Destination(openDestination(t, to, map[string]string{"resource": ""}))
	again, final := "Renewals 2028", "Closed"
	_, err = fromAPI.Update(ctx, "deals", created.ID, hubspot.PipelinePatch{Label: &again})
	is.NoErr(err)
	_, err = fromAPI.UpdateStage(ctx, "deals", created.ID, won, hubspot.StagePatch{Label: &final, Metadata: map[string]string{"probability": "1.0"}})
	is.NoErr(err)
	_, err = fromAPI.CreateStage(ctx, "deals", created.ID, hubspot.StageInput{Label: "Lost", DisplayOrder: 2, Metadata: map[string]string{"probability": "0.0"}})
	is.NoErr(err)
	move()
	is.Equal(len(pipelinesByLabel(t, toAPI)), 2)

	is.NoErr(fromAPI.Archive(ctx, "deals", created.ID))
	move()
	is.Equal(len(pipelinesByLabel(t, toAPI)), 1)
}

// TestPipelineRecordErrors: a stage without a label, or with a display
// order that is no whole number, fails naming the record and the field;
// the records before it are written; a delete of a stage the mirror lacks
// is done already.
func TestPipelineRecordErrors(t *testing.T) {
	is := is.New(t)
	srv := newSim(t)
	d := openDestination(t, srv, map[string]string{"resource": "deal_pipeline_stages"})
	stage := func(label string, order any) opencdc.StructuredData {
		return opencdc.StructuredData{"label": label, "displayOrder": order, "pipelineId": "p1", "pipelineLabel": "Partners",
			"pipelineDisplayOrder": float64(3), "probability": float64(0.3)}
	}
	n, err := d.Write(context.Background(), []opencdc.Record{
		rec(opencdc.OperationCreate, "p0", id("s1"), stage("Intro", float64(0))),
		rec(opencdc.OperationDelete, "p1", id("nothing"), opencdc.StructuredData{"label": "Gone", "pipelineLabel": "Nowhere"}),
		rec(opencdc.OperationCreate, "p2", id("s2"), stage("", float64(1))),
	})
	is.Equal(n, 2)
	var rerr *destination.RecordError
	is.True(errors.As(err, &rerr))
	is.Equal(rerr.Index, 2)
	is.True(strings.Contains(err.Error(), "label"))

	_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "p3", id("s3"), stage("Next", 1.5))})
	is.True(err != nil && strings.Contains(err.Error(), "displayOrder"))

	got := pipelinesByLabel(t, simAPI(t, srv))
	is.Equal(got["Partners"], "3 Intro@0:0.3") // created with its first stage
}
