package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// e2eSettings are Conduit's connector settings an end-to-end run uses:
// batching on each side, the source's schema extraction, and any other
// settings for the destination (its record format, its schema
// extraction...), to measure what each costs.
type e2eSettings struct {
	sourceBatch, destBatch int    // sdk.batch.size (0: the SDK's default), with sdk.batch.delay 100ms
	sourceSchema           bool   // sdk.schema.extract.{key,payload}.enabled on the source
	destExtra              string // key=value,key=value for the destination
	// conduitFlags are more flags of conduit run, space-separated (e.g.
	// its pipeline architecture v2).
	conduitFlags string
	// decodeStage puts a processor that changes nothing before the
	// destination, with its schema decoding on (the processor SDK's
	// default) and its encoding off: the payload reaches the destination
	// decoded, on the processor's goroutine, and the destination's own
	// decoding (which skips a structured payload) has nothing left to do.
	decodeStage bool
}

// processors are the pipeline's processors as YAML lines.
func (e e2eSettings) processors() string {
	if !e.decodeStage {
		return ""
	}
	return `    processors:
      - id: decode
        plugin: field.exclude
        settings:
          fields: '.Metadata["hubspot.bench.none"]'
          sdk.schema.encode.key.enabled: "false"
          sdk.schema.encode.payload.enabled: "false"
`
}

// source is the source's SDK settings as YAML lines.
func (e e2eSettings) source() string {
	s := yamlSettings(map[string]string{
		"sdk.schema.extract.key.enabled":     fmt.Sprint(e.sourceSchema),
		"sdk.schema.extract.payload.enabled": fmt.Sprint(e.sourceSchema),
	})
	return s + batchSettings(e.sourceBatch)
}

// destination is the destination's SDK settings as YAML lines.
func (e e2eSettings) destination() (string, error) {
	extra := map[string]string{}
	for _, kv := range strings.Split(e.destExtra, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", fmt.Errorf("destination setting %q: not key=value", kv)
		}
		extra[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return batchSettings(e.destBatch) + yamlSettings(extra), nil
}

// String says what differs from Conduit's defaults.
func (e e2eSettings) String() string {
	schema := "off"
	if e.sourceSchema {
		schema = "on"
	}
	s := fmt.Sprintf("source: sdk.batch.size %d, schema extraction %s; destination: sdk.batch.size %d", e.sourceBatch, schema, e.destBatch)
	if e.destExtra != "" {
		s += ", " + e.destExtra
	}
	if e.decodeStage {
		s += "; a processor decodes the payload"
	}
	if e.conduitFlags != "" {
		s += "; conduit run " + e.conduitFlags
	}
	return s
}

func batchSettings(size int) string {
	if size <= 0 {
		return ""
	}
	return yamlSettings(map[string]string{"sdk.batch.size": fmt.Sprint(size), "sdk.batch.delay": "100ms"})
}

// yamlSettings are settings as the lines of a connector's settings map in
// a pipeline file, in key order.
func yamlSettings(settings map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		fmt.Fprintf(&b, "          %s: %q\n", k, settings[k])
	}
	return b.String()
}
