package source_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/config"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// TestTraceLogsHoldNoToken runs the source with logging at trace level,
// failing requests included, and looks for the token in everything logged.
func TestTraceLogsHoldNoToken(t *testing.T) {
	is := is.New(t)
	var buf bytes.Buffer
	ctx := zerolog.New(&buf).Level(zerolog.TraceLevel).WithContext(context.Background())
	e := newEnv(t)
	_, err := e.srv.Seed("contacts", 30, nil)
	is.NoErr(err)

	open := func(token string) (*source.Source, error) {
		src := source.NewSource(source.WithClientOptions(hubspot.WithBackoff(1e6, 1e7)), source.WithClock(e.clock.Now))
		cfg := config.Config{"accessToken": token, "baseURL": e.srv.URL, "resource": "contacts", "bufferSize": "10", "maxRetries": "1"}
		if err := sdk.Util.ParseConfig(ctx, cfg, src.Config(), connector.Connector.NewSpecification().SourceParams); err != nil {
			return nil, err
		}
		return src, src.Open(ctx, nil)
	}
	const wrong = "pat-na1-wrong-token-value"
	_, err = open(wrong)
	is.True(err != nil)

	src, err := open(e.srv.Token)
	is.NoErr(err)
	e.srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultStatus, Status: 503, Times: 1})
	_, err = src.ReadN(ctx, 30)
	is.NoErr(err) // the 503 was retried
	e.srv.InjectFault(hubspottest.Fault{Kind: hubspottest.FaultHTML, Times: 5})
	_, err = src.ReadN(ctx, 30)
	is.True(err != nil)

	logged := buf.String()
	is.True(strings.Contains(logged, "hubspot request")) // the client's lines reach the connector's log
	is.True(strings.Contains(logged, `"status":503`))
	for _, secret := range []string{e.srv.Token, wrong} {
		if strings.Contains(logged, secret) || strings.Contains(err.Error(), secret) {
			t.Fatalf("the token %q was logged", secret)
		}
	}
}
