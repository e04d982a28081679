package destination_test

import (
	"context"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

// TestDestinationAPIVersions writes a create, an update and a delete at
// each apiVersion: every call goes to that version's objects path.
func TestDestinationAPIVersions(t *testing.T) {
	tests := []struct{ version, objects string }{
		{"", "/crm/objects/2026-09/contacts"}, // the default
		{"2026-03", "/crm/objects/2026-03/contacts"},
		{"legacy", "/crm/v3/objects/contacts"},
	}
	for _, tt := range tests {
		t.Run("apiVersion="+tt.version, func(t *testing.T) {
			is := is.New(t)
			srv := newSim(t)
			settings := map[string]string{}
			if tt.version != "" {
				settings["apiVersion"] = tt.version
			}
			d := openDestination(t, srv, settings)
			ctx := context.Background()
			n, err := d.Write(ctx, []opencdc.Record{rec(opencdc.OperationCreate, "1", nil, opencdc.StructuredData{"email": "a@example.com"})})
			is.NoErr(err)
			is.Equal(n, 1)
			created := srv.Objects("contacts")
			is.Equal(len(created), 1)
			n, err = d.Write(ctx, []opencdc.Record{
				rec(opencdc.OperationUpdate, "2", id(created[0].ID), opencdc.StructuredData{"firstname": "A"}),
				rec(opencdc.OperationDelete, "3", id(created[0].ID), nil),
			})
			is.NoErr(err)
			is.Equal(n, 2)
			is.Equal(len(live(srv)), 0)
			calls := srv.Calls()
			written := 0
			for key, n := range calls {
				path := strings.SplitN(key, " ", 2)[1]
				if strings.Contains(path, "/contacts") && strings.Contains(path, "objects") {
					is.True(strings.HasPrefix(path, tt.objects)) // at the version
					written += n
				}
			}
			// The create, the update and the delete each reached the
			// version's objects path: at least three calls, one an archive.
			is.True(written >= 3)
			is.True(calls["POST "+tt.objects+"/batch/archive"] > 0)
		})
	}
}

// TestDestinationLegacyAfterTheSunset: once HubSpot no longer serves the
// numbered paths, a destination of apiVersion legacy fails with one line
// that names the parameter and the value to set.
func TestDestinationLegacyAfterTheSunset(t *testing.T) {
	is := is.New(t)
	srv := newSim(t, hubspottest.WithNumberedPathsRetired())
	d, err := tryOpenDestination(srv, map[string]string{"apiVersion": "legacy"})
	if d != nil {
		t.Cleanup(func() { _ = d.Teardown(context.Background()) })
	}
	if err == nil {
		_, err = d.Write(context.Background(), []opencdc.Record{rec(opencdc.OperationCreate, "1", nil, opencdc.StructuredData{"email": "a@example.com"})})
	}
	is.True(err != nil)
	t.Logf("a legacy user reads: %v", err)
	is.True(!strings.Contains(err.Error(), "\n"))
	is.True(strings.Contains(err.Error(), `set "apiVersion" to "2026-09"`))
	is.Equal(len(srv.Objects("contacts")), 0)
}
