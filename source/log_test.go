package source_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	connector "github.com/conduit-connectors/conduit-connector-hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/syncbuf"
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
	var buf syncbuf.Buffer
	ctx := zerolog.New(&buf).Level(zerolog.TraceLevel).WithContext(context.Background())
	e := newEnv(t)
	_, err := e.srv.Seed("contacts", 30, nil)
	is.NoErr(err)

	open := func(token string) (*source.Source, error) {
		src := source.NewSource(source.WithClientOptions(hubspot.WithBackoff(1e6, 1e7)), source.WithClock(e.clock))
		// The list alone, in pages of ten.
		cfg := config.Config{"accessToken": token, "baseURL": e.srv.URL, "resource": "contacts", "bufferSize": "10", "maxRetries": "1", "snapshotSearch": "false"}
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
	// The next page may have been read ahead already: a later read meets
	// the failures.
	for range 3 {
		if _, err = src.ReadN(ctx, 30); err != nil {
			break
		}
	}
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

// TestSnapshotProgressLog: the snapshot's end is logged at once, with the
// rate over the time since its first request, and a long snapshot logs its
// progress every five seconds. Time is the manual clock's, set between
// pages of ten.
func TestSnapshotProgressLog(t *testing.T) {
	type line struct {
		Objects int     `json:"objects"`
		Seconds float64 `json:"seconds"`
		Rate    float64 `json:"objectsPerSecond"`
		Done    bool    `json:"done"`
	}
	tests := []struct {
		name    string
		objects int
		// advance is how far the clock moves before each read of a page
		// after the first.
		advance []time.Duration
		want    []line
	}{
		{
			name: "short snapshot", objects: 20,
			advance: []time.Duration{200 * time.Millisecond},
			want:    []line{{Objects: 20, Seconds: 0.2, Rate: 100, Done: true}},
		},
		{
			name: "long snapshot", objects: 30,
			advance: []time.Duration{6 * time.Second, 1500 * time.Millisecond},
			want: []line{
				{Objects: 20, Seconds: 6, Rate: 20.0 / 6, Done: false},
				{Objects: 30, Seconds: 7.5, Rate: 4, Done: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var buf syncbuf.Buffer
			ctx := zerolog.New(&buf).WithContext(context.Background())
			e := newEnv(t)
			_, err := e.srv.Seed("contacts", tt.objects, nil)
			is.NoErr(err)
			// The list alone: its pages of ten make the steps the lines count.
			src := openSource(t, e, map[string]string{"bufferSize": "10", "snapshotSearch": "false"}, nil)
			read := 0
			for i := 0; read < tt.objects; i++ {
				if i > 0 {
					e.clock.Advance(tt.advance[i-1])
				}
				recs, err := src.ReadN(ctx, 10)
				is.NoErr(err)
				read += len(recs)
			}
			var got []line
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				if !strings.Contains(l, "hubspot snapshot progress") {
					continue
				}
				var g line
				is.NoErr(json.Unmarshal([]byte(l), &g))
				g.Rate = math.Round(g.Rate*1000) / 1000
				got = append(got, g)
			}
			for i := range tt.want {
				tt.want[i].Rate = math.Round(tt.want[i].Rate*1000) / 1000
			}
			is.Equal(got, tt.want) // progress lines
		})
	}
}
