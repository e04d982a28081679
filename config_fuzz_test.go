package hubspot

import (
	"context"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// FuzzConfig parses made-up settings as Conduit would: no panic, and a
// rejection names the parameter at fault and never holds the token.
func FuzzConfig(f *testing.F) {
	f.Add("pat-na1-x", "contacts", "4", "https://api.hubapi.com", "100", "5s")
	f.Add("", "crm.lineItems", "-1", "http://10.0.0.1", "0", "0s")
	f.Add("t", "2-123", "11", "ftp://x", "101", "often")
	f.Add("t t", "widgets", "x", "", "1e3", "-1s")
	spec := Connector.NewSpecification()
	f.Fuzz(func(t *testing.T, token, resource, retries, baseURL, buffer, polling string) {
		cfg := config.Config{
			"accessToken": token, "resource": resource, "maxRetries": retries,
			"baseURL": baseURL, "bufferSize": buffer, "pollingPeriod": polling,
		}
		err := sdk.Util.ParseConfig(context.Background(), cfg, source.New().Config(), spec.SourceParams)
		if err == nil {
			return
		}
		msg := err.Error()
		named := false
		for _, p := range []string{"accessToken", "resource", "maxRetries", "baseURL", "bufferSize", "pollingPeriod"} {
			named = named || strings.Contains(msg, p)
		}
		if !named {
			t.Fatalf("error %q names no parameter", msg)
		}
		if len(strings.TrimSpace(token)) > 8 && strings.Contains(msg, token) {
			t.Fatalf("error %q holds the token", msg)
		}
	})
}
