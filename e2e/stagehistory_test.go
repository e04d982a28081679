package e2e

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
)

// timeInStage is what PostgreSQL answers the example's history query:
// each deal's stages by label, in order, each with its seconds in the
// stage ("open" for the current one).
func timeInStage(t *testing.T, pg *pgtest.Cluster) string {
	t.Helper()
	out, err := pg.Psql(`SELECT d.dealname, s.label, COALESCE((EXTRACT(EPOCH FROM
		  LEAD(h."timestamp") OVER (PARTITION BY h."objectId" ORDER BY h."timestamp") - h."timestamp"))::bigint::text, 'open')
		FROM deals_property_history h JOIN deals d ON d.id = h."objectId"
		JOIN deal_pipeline_stages s ON s.id = h.value
		WHERE h.property = 'dealstage' ORDER BY d.dealname, h."timestamp"`)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// wantTimeInStage is that answer from the simulator's own history of the
// deals' dealstage, by name, and the stages' labels.
func wantTimeInStage(t *testing.T, srv *hubspottest.Server, api *hubspot.Client, deals map[string]string) string {
	t.Helper()
	list, err := api.Pipelines.List(context.Background(), "deals")
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	for _, p := range list {
		for _, st := range p.Stages {
			labels[st.ID] = st.Label
		}
	}
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(deals)) {
		values := srv.HistoryOf("deals", deals[name], "dealstage")
		for i, v := range values {
			in := "open"
			if i+1 < len(values) {
				in = fmt.Sprint(int64(math.Round(values[i+1].Timestamp.Sub(v.Timestamp).Seconds())))
			}
			lines = append(lines, fmt.Sprintf("%s|%s|%s", name, labels[v.Value], in))
		}
	}
	return strings.Join(lines, "\n")
}

// TestDealStageHistoryToPostgres: deals with propertyHistory: dealstage
// and the deal pipelines reach PostgreSQL through Conduit
// (examples/hubspot-deal-pipelines-to-postgres.yaml), and a SQL query
// joins the history to the stages' labels and gives each deal's time in
// each stage: the hours the test staged in the snapshot, then a stage
// left after the start, in CDC.
func TestDealStageHistoryToPostgres(t *testing.T) {
	pg := pgtest.StartT(t)
	if _, err := pg.Psql(pgtest.DealPipelineTables); err != nil {
		t.Fatal(err)
	}
	clock := hubspottest.NewOffsetClock(-10 * time.Hour)
	srv := newSim(t, hubspottest.WithClock(clock))
	api, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(api.Close)
	deals := map[string]string{}
	create := func(name, stage string) {
		id, err := srv.Create("deals", map[string]string{"dealname": name, "dealstage": stage, "pipeline": "default"})
		if err != nil {
			t.Fatal(err)
		}
		deals[name] = id
	}
	move := func(name, stage string) {
		if err := srv.Update("deals", deals[name], map[string]string{"dealstage": stage}); err != nil {
			t.Fatal(err)
		}
	}
	// Ten hours ago: D0 2 h in appointmentscheduled, 3 h in
	// qualifiedtobuy, then won; D1 1 h in qualifiedtobuy, then in
	// presentationscheduled since.
	create("D0", "appointmentscheduled")
	create("D1", "qualifiedtobuy")
	clock.Set(-9 * time.Hour)
	move("D1", "presentationscheduled")
	clock.Set(-8 * time.Hour)
	move("D0", "qualifiedtobuy")
	clock.Set(-5 * time.Hour)
	move("D0", "closedwon")

	env := sourceEnv(srv, "")
	env["POSTGRES_URL"] = pg.URL("postgres")
	c := startConduit(t, t.TempDir(), "hubspot-deal-pipelines-to-postgres.yaml", env)
	want := wantTimeInStage(t, srv, api, deals)
	staged := strings.Join([]string{
		"D0|Appointment Scheduled|7200", "D0|Qualified To Buy|10800", "D0|Closed Won|open",
		"D1|Qualified To Buy|3600", "D1|Presentation Scheduled|open",
	}, "\n")
	if want != staged {
		t.Fatalf("the simulator's history gives\n%s\nthe test staged\n%s", want, staged)
	}
	c.waitForWhy(t, "the snapshot's time in stage in PostgreSQL", time.Minute, func() (bool, string) {
		got := timeInStage(t, pg)
		return got == want, fmt.Sprintf("time in stage is\n%s\nwant\n%s", got, want)
	})

	// Now, after the start: D1 leaves presentationscheduled after about
	// 9 hours in it, a value CDC brings.
	clock.Set(0)
	move("D1", "closedlost")
	want = wantTimeInStage(t, srv, api, deals)
	if s := stageSeconds(t, want, "D1|Presentation Scheduled|"); s < 9*3600 || s > 9*3600+60 {
		t.Fatalf("D1 was %d s in Presentation Scheduled, want about 9 h; the simulator's history gives\n%s", s, want)
	}
	c.waitForWhy(t, "the change's time in stage in PostgreSQL", time.Minute, func() (bool, string) {
		got := timeInStage(t, pg)
		return got == want, fmt.Sprintf("time in stage is\n%s\nwant\n%s", got, want)
	})
}

// stageSeconds returns the seconds of the line of a time-in-stage answer
// that starts with prefix (deal|stage|).
func stageSeconds(t *testing.T, answer, prefix string) int {
	t.Helper()
	for line := range strings.SplitSeq(answer, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			n, err := strconv.Atoi(rest)
			if err != nil {
				t.Fatalf("line %q: seconds: %v", line, err)
			}
			return n
		}
	}
	t.Fatalf("no line %q in\n%s", prefix, answer)
	return 0
}
