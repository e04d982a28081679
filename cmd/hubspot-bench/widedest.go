package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduitio/conduit-commons/config"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// wideProps is how many properties each record of the wide destination
// step carries.
const wideProps = 600

// wideDest: the destination creating contacts of 600 properties each (the
// catalogue's writable ones with a seeded contact's values, and custom
// text properties for the rest), against the simulator in a child process
// with HubSpot's limits on: calls per 1,000 records, records per second
// and the destination's CPU per record (this process alone).
func wideDest(ctx context.Context, t *table, sz sizes) error {
	child, err := startSimChild(ctx, 1, true, "-sim-extra-props", strconv.Itoa(wideProps))
	if err != nil {
		return err
	}
	defer func() { _, _ = child.close() }()
	sample, err := child.do("sample")
	if err != nil {
		return err
	}
	var values map[string]string
	if err := json.Unmarshal([]byte(sample), &values); err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	template := opencdc.StructuredData{}
	for name, v := range values {
		if len(template) == wideProps-2 { // email and firstname are the record's own
			break
		}
		if name != "email" && name != "firstname" {
			template[name] = v
		}
	}
	if len(template) < wideProps-2 {
		return fmt.Errorf("sample: %d writable properties, want %d", len(template)+2, wideProps)
	}
	d := destination.NewDestination()
	cfg := config.Config{"accessToken": child.Token, "baseURL": child.URL, "resource": "contacts"}
	if err := sdk.Util.ParseConfig(ctx, cfg, d.Config(), connector.Connector.NewSpecification().DestinationParams); err != nil {
		return fmt.Errorf("configure destination: %w", err)
	}
	if err := d.Open(ctx); err != nil {
		return fmt.Errorf("open destination: %w", err)
	}
	defer func() { _ = d.Teardown(ctx) }()
	n := sz.rate
	recs := make([]opencdc.Record, n)
	for i := range recs {
		payload := make(opencdc.StructuredData, wideProps)
		for name, v := range template {
			payload[name] = v
		}
		payload["email"] = fmt.Sprintf("wide%d@example.com", i)
		payload["firstname"] = "F" + strconv.Itoa(i)
		recs[i] = opencdc.Record{Position: opencdc.Position("w" + strconv.Itoa(i)), Operation: opencdc.OperationCreate,
			Payload: opencdc.Change{After: payload}}
	}
	if _, err := child.do("calls"); err != nil { // from here on
		return err
	}
	start := time.Now()
	c, err := perRecord(n, func() error { return writeAll(ctx, d, recs) })
	if err != nil {
		return err
	}
	rate := float64(n) / time.Since(start).Seconds()
	calls, err := child.do("calls")
	if err != nil {
		return err
	}
	var total, refused int
	if _, err := fmt.Sscan(calls, &total, &refused); err != nil {
		return fmt.Errorf("calls %q: %w", calls, err)
	}
	load := loadAverage()
	t.add(fmt.Sprintf("dest records/s, %d properties, at 190 req/10 s (%d creates, simulator in its own process)", wideProps, n),
		fmt.Sprintf("%.0f (%.0f %% of 1,900); load %s", rate, 100*rate/ceiling, load), "≥ 90 % of 1,900", verdict(rate >= 0.9*ceiling))
	t.add(fmt.Sprintf("dest calls / 1,000 creates, %d properties", wideProps),
		fmt.Sprintf("%.1f (%s)", 1000*float64(total)/float64(n), strings.TrimSpace(strings.TrimPrefix(calls, fmt.Sprintf("%d %d", total, refused)))), "≤ 10.2", verdict(1000*float64(total)/float64(n) <= 10.2))
	t.add(fmt.Sprintf("dest CPU per record, %d properties (this process alone)", wideProps), fmt.Sprintf("%s; load %s", c, load), "-", "-")
	t.add("429s in the wide dest run", strconv.Itoa(refused), "0", verdict(refused == 0))
	return nil
}
