package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-protocol/pconnector"
	"github.com/conduitio/conduit-connector-protocol/pconnector/v2/toproto"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"google.golang.org/protobuf/proto"
)

// pluginCPU: the CPU the connector spends per contact of every property
// (607), in this process, with the simulator in a child process and its
// limits off. The records go the way the plugin sends them to Conduit:
// through the source's middleware (source.New: the SDK's schema
// extraction, the source's Avro encoding of the payload) and into the
// protocol's messages, marshalled. The snapshot
// first, then CDC: changes to 1,000 of the contacts.
func pluginCPU(ctx context.Context, t *table, sz sizes) error {
	n := sz.wide
	var profile []string
	if sz.simProfile != "" {
		profile = []string{"-sim-cpuprofile", sz.simProfile}
	}
	child, err := startSimChild(ctx, n, false, profile...)
	if err != nil {
		return err
	}
	seeded, err := child.cpu()
	if err != nil {
		_, _ = child.close()
		return err
	}
	s := source.New()
	cfg := config.Config{"accessToken": child.Token, "baseURL": child.URL, "resource": "contacts", "pollingPeriod": "1s"}
	if err := sdk.Util.ParseConfig(ctx, cfg, s.Config(), connector.Connector.NewSpecification().SourceParams); err != nil {
		_, _ = child.close()
		return fmt.Errorf("configure source: %w", err)
	}
	if err := s.Open(ctx, nil); err != nil {
		_, _ = child.close()
		return fmt.Errorf("open source: %w", err)
	}
	snap, err := perRecord(n, func() error { return sendN(ctx, s, n) })
	if err != nil {
		_ = s.Teardown(ctx)
		_, _ = child.close()
		return err
	}
	changes := min(1000, n)
	if _, err := child.do(fmt.Sprintf("update %d", changes)); err != nil {
		_ = s.Teardown(ctx)
		_, _ = child.close()
		return err
	}
	cdc, err := perRecord(changes, func() error { return sendN(ctx, s, changes) })
	_ = s.Teardown(ctx)
	simCPU, cerr := child.close()
	if err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	load := loadAverage()
	t.add(fmt.Sprintf("plugin CPU per record, 607 properties, snapshot (simulator in its own process, %d contacts)", n),
		fmt.Sprintf("%s; load %s", snap, load), "≤ 250000 ns", verdict(snap.cpu <= 250_000))
	t.add(fmt.Sprintf("plugin CPU per record, 607 properties, CDC (%d changes, simulator in its own process)", changes),
		fmt.Sprintf("%s; load %s", cdc, load), "-", "-")
	t.add("simulator CPU per record served (its own process, snapshot and CDC; seeding apart)",
		fmt.Sprintf("%.0f ns; load %s", float64((simCPU-seeded).Nanoseconds())/float64(n+changes), load), "-", "-")
	t.add("simulator CPU per contact seeded (607 properties)",
		fmt.Sprintf("%.0f ns", float64(seeded.Nanoseconds())/float64(n)), "-", "-")
	return nil
}

// sendN reads n records as the plugin does and marshals them as it sends
// them to Conduit, or fails after 10 minutes.
func sendN(ctx context.Context, s sdk.Source, n int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	for got := 0; got < n; {
		recs, err := s.ReadN(ctx, 1000)
		if errors.Is(err, sdk.ErrBackoffRetry) {
			time.Sleep(100 * time.Millisecond) // as the SDK's first back-off
			continue
		}
		if err != nil {
			return fmt.Errorf("read %d of %d records: %w", got, n, err)
		}
		if err := marshal(recs); err != nil {
			return err
		}
		if err := s.Ack(ctx, recs[len(recs)-1].Position); err != nil {
			return fmt.Errorf("ack: %w", err)
		}
		got += len(recs)
	}
	return nil
}

// marshal turns records into the message the plugin streams to Conduit.
func marshal(recs []opencdc.Record) error {
	msg, err := toproto.SourceRunResponse(pconnector.SourceRunResponse{Records: recs})
	if err != nil {
		return fmt.Errorf("records to protocol buffers: %w", err)
	}
	if _, err := proto.Marshal(msg); err != nil {
		return fmt.Errorf("marshal records: %w", err)
	}
	return nil
}
