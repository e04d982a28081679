package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
)

// pipelinesCost: calls per 1,000 records of deal_pipeline_stages (50
// pipelines of 20 stages, with the default one's 7), in the snapshot, in
// CDC (every stage renamed), and written to a mirror. The limits are off:
// this counts calls, not time.
func pipelinesCost(ctx context.Context, t *table, _ sizes) error {
	srv, err := newSim(hubspottest.WithoutRateLimits())
	if err != nil {
		return err
	}
	defer srv.Close()
	api, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL), hubspot.WithoutRateLimit())
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer api.Close()
	const pipelines, perPipeline = 50, 20
	var ids [][2]string // pipeline, stage
	for p := range pipelines {
		stages := make([]hubspot.StageInput, perPipeline)
		for s := range stages {
			stages[s] = hubspot.StageInput{Label: "S" + strconv.Itoa(s), DisplayOrder: s, Metadata: map[string]string{"probability": "0.5"}}
		}
		created, err := api.Pipelines.Create(ctx, "deals", hubspot.PipelineInput{Label: "P" + strconv.Itoa(p), DisplayOrder: p, Stages: stages})
		if err != nil {
			return fmt.Errorf("create pipeline: %w", err)
		}
		for _, st := range created.Stages {
			ids = append(ids, [2]string{created.ID, st.ID})
		}
	}
	n := len(ids) + 7
	srv.ResetCalls()
	src, err := openSource(ctx, srv, config.Config{"resource": "deal_pipeline_stages", "deletesPollingPeriod": "1ms"},
		source.WithClientOptions(hubspot.WithoutRateLimit()))
	if err != nil {
		return err
	}
	defer func() { _ = src.Teardown(ctx) }()
	recs, err := readAll(ctx, src, n)
	if err != nil {
		return err
	}
	t.add("deal_pipeline_stages: source calls / 1,000 records, snapshot", fmt.Sprintf("%.1f (%s)", 1000*float64(srv.TotalCalls())/float64(n), callsOf(srv)), "-", "-")

	srv.ResetCalls()
	for i, id := range ids {
		label := "R" + strconv.Itoa(i%perPipeline)
		if _, err := api.Pipelines.UpdateStage(ctx, "deals", id[0], id[1], hubspot.StagePatch{Label: &label, Metadata: map[string]string{"probability": "0.5"}}); err != nil {
			return fmt.Errorf("rename stage: %w", err)
		}
	}
	changed := srv.TotalCalls()
	if _, err := readAll(ctx, src, len(ids)); err != nil {
		return err
	}
	t.add("deal_pipeline_stages: source calls / 1,000 changes, CDC", fmt.Sprintf("%.1f", 1000*float64(srv.TotalCalls()-changed)/float64(len(ids))), "-", "-")

	mirror, err := newSim(hubspottest.WithoutRateLimits())
	if err != nil {
		return err
	}
	defer mirror.Close()
	dst, err := openDestination(ctx, mirror, config.Config{"resource": "deal_pipeline_stages"})
	if err != nil {
		return err
	}
	defer func() { _ = dst.Teardown(ctx) }()
	mirror.ResetCalls()
	// As in Conduit, the destination gets the records decoded.
	if _, err := decoded.Destination(dst).Write(ctx, recs); err != nil {
		return fmt.Errorf("write the mirror: %w", err)
	}
	t.add("deal_pipeline_stages: destination calls / 1,000 records", fmt.Sprintf("%.1f (%s)", 1000*float64(mirror.TotalCalls())/float64(len(recs)), callsOf(mirror)), "-", "-")
	return nil
}

// readAll reads n records, or fails after a minute.
func readAll(ctx context.Context, s *source.Source, n int) ([]opencdc.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var out []opencdc.Record
	for len(out) < n {
		recs, err := s.ReadN(ctx, n-len(out))
		if err != nil {
			return nil, fmt.Errorf("read %d of %d records: %w", len(out), n, err)
		}
		out = append(out, recs...)
	}
	return out, nil
}
