package main

import (
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
	"gopkg.in/yaml.v3"
)

// TestPipelineYAMLSettings: each side of the end-to-end pipeline gets the
// settings asked for, and only those.
func TestPipelineYAMLSettings(t *testing.T) {
	srv := &hubspottest.Server{URL: "http://127.0.0.1:1", Token: "tok"}
	tests := []struct {
		name       string
		set        e2eSettings
		wantSource map[string]string
		wantDest   map[string]string
		wantProc   map[string]string // the decoding stage's; nil: none
	}{
		{"defaults", e2eSettings{},
			map[string]string{"sdk.schema.extract.key.enabled": "false", "sdk.schema.extract.payload.enabled": "false"},
			map[string]string{}, nil},
		{"a decoding stage", e2eSettings{decodeStage: true},
			map[string]string{"sdk.schema.extract.key.enabled": "false", "sdk.schema.extract.payload.enabled": "false"},
			map[string]string{},
			map[string]string{"fields": `.Metadata["hubspot.bench.none"]`, "sdk.schema.encode.key.enabled": "false", "sdk.schema.encode.payload.enabled": "false"}},
		{"batches, schemas and a format", e2eSettings{sourceBatch: 200, destBatch: 1000, sourceSchema: true, destExtra: "sdk.record.format=opencdc/json, sdk.schema.extract.payload.enabled=false"},
			map[string]string{"sdk.schema.extract.key.enabled": "true", "sdk.schema.extract.payload.enabled": "true", "sdk.batch.size": "200", "sdk.batch.delay": "100ms"},
			map[string]string{"sdk.batch.size": "1000", "sdk.batch.delay": "100ms", "sdk.record.format": "opencdc/json", "sdk.schema.extract.payload.enabled": "false"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			out, err := pipelineYAML(srv, fileSink{counter: &lineCounter{path: "/tmp/x.jsonl"}}, tt.set)
			is.NoErr(err)
			var file struct {
				Pipelines []struct {
					Connectors []struct {
						ID       string            `yaml:"id"`
						Settings map[string]string `yaml:"settings"`
					} `yaml:"connectors"`
					Processors []struct {
						Plugin   string            `yaml:"plugin"`
						Settings map[string]string `yaml:"settings"`
					} `yaml:"processors"`
				} `yaml:"pipelines"`
			}
			is.NoErr(yaml.Unmarshal([]byte(out), &file))
			conns := file.Pipelines[0].Connectors
			is.Equal(len(conns), 2)
			for k, v := range tt.wantSource {
				is.Equal(conns[0].Settings[k], v) // source
			}
			is.Equal(len(conns[0].Settings), len(tt.wantSource)+3) // with the token, the URL and the resource
			for k, v := range tt.wantDest {
				is.Equal(conns[1].Settings[k], v) // destination
			}
			is.Equal(len(conns[1].Settings), len(tt.wantDest)+1) // with the path
			procs := file.Pipelines[0].Processors
			if tt.wantProc == nil {
				is.Equal(len(procs), 0)
				return
			}
			is.Equal(len(procs), 1)
			is.Equal(procs[0].Plugin, "field.exclude")
			is.Equal(procs[0].Settings, tt.wantProc)
		})
	}
	_, err := pipelineYAML(srv, fileSink{counter: &lineCounter{}}, e2eSettings{destExtra: "no-equals"})
	is.New(t).True(err != nil)
}
