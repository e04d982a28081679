package main

import (
	"strings"
	"testing"

	"github.com/matryer/is"
)

// Lines of Conduit v0.14.0's JSON log (stacks cut) as the demo's runs
// wrote them.
const (
	logWarningFirst = `Warning: API is currently disabled.{"level":"warn","time":1795550287732,"message":"Using in-memory store"}`
	logSourceFailed = `{"level":"error","error":"node hubspot-to-file:hubspot-contacts stopped with error: could not open source connector: ` +
		`could not open source connector plugin: HubSpot refused the access token (parameter \"accessToken\"): list contacts: ` +
		`hubspot: GET crm/v3/objects/contacts: 401 INVALID_AUTHENTICATION: The OAuth token used to make this call is not valid or has expired.",` +
		`"component":"lifecycle.Service","node_id":"hubspot-to-file:hubspot-contacts","message":"node stopped"}`
	logCanceled = `{"level":"error","error":"node fanin stopped with error: context canceled","component":"lifecycle.Service","node_id":"fanin","message":"node stopped"}`
	logStopped  = `{"level":"info","component":"lifecycle.Service","pipeline_id":"hubspot-to-file","message":"pipeline stopped"}`
	logReadRPC  = `{"level":"error","error":"node hubspot-to-file:hubspot-contacts stopped with error: error reading from source: ` +
		`rpc error: code = Unknown desc = search contacts: hubspot: POST /crm/objects/2026-09/contacts/search: 403 MISSING_SCOPES:\nmissing crm.objects.contacts.read",` +
		`"node_id":"hubspot-to-file:hubspot-contacts","message":"node stopped"}`
)

const logProvisioning = `{"level":"error","error":"pipeline \"p\", error while provisioning: could not start the pipeline \"p\": ` +
	`could not build nodes for pipeline p: could not build source nodes: failed to get plugin dispenser: plugin not found","message":"provisioning failed"}`

const wantTokenErr = `HubSpot refused the access token (parameter "accessToken"): list contacts: hubspot: GET crm/v3/objects/contacts: ` +
	`401 INVALID_AUTHENTICATION: The OAuth token used to make this call is not valid or has expired.`

func TestWatchLog(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []event
	}{
		{"a failed source, the others canceled", []string{logWarningFirst, logSourceFailed, logCanceled},
			[]event{{kind: "failed", err: wantTokenErr}}},
		// Conduit v0.14.0 may log the stop before the failure that caused it.
		{"stopped, then the failure", []string{logCanceled, logStopped, logSourceFailed},
			[]event{{kind: "stopped"}, {kind: "failed", err: wantTokenErr}}},
		{"a read error through gRPC, on one line", []string{logReadRPC},
			[]event{{kind: "failed", err: "search contacts: hubspot: POST /crm/objects/2026-09/contacts/search: 403 MISSING_SCOPES: missing crm.objects.contacts.read"}}},
		{"a pipeline Conduit cannot provision", []string{logProvisioning},
			[]event{{kind: "error", err: `pipeline "p", error while provisioning: could not start the pipeline "p": ` +
				`could not build nodes for pipeline p: could not build source nodes: failed to get plugin dispenser: plugin not found`}}},
		{"not JSON", []string{"panic: something", "{not json"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			events := make(chan event, 16)
			watchLog(strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), events)
			close(events)
			var got []event
			for ev := range events {
				got = append(got, ev)
			}
			is.Equal(got, tt.want)
		})
	}
}
