package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
)

// searchingTypes are the types each pipeline of
// testdata/three-searching-pipelines.yaml reads.
var searchingTypes = []string{"contacts", "companies", "deals", "tickets", "products", "line_items"}

// TestSearchSharedByThreePipelines runs three source pipelines on one token
// in Conduit (each source its own plugin process) against the simulator's
// search limit of 5 a second, the account's. Each pipeline wants far more
// searches than that, so the limit binds throughout; the sources see one
// another only through HubSpot's SECONDLY 429s, and slow down at each.
// After the first minute they meet few 429s, and every object made before
// and during the run reaches each pipeline's file: no search gave up.
//
// The bound: settled, three clients searching as fast as they may meet
// about 17 429s per 1,000 searches (TestSearchesShareTheAccountLimit in
// hubspot, the model in its comment). This test measures the 30 s or so
// after the first minute (objects come for 80 s, then the files catch
// up): about 100 searches, of which about 2 meet a 429, so one more or
// less moves the rate by 10 per 1,000. The bound is 60: 7 or more of
// 100, where about 2 are expected, comes in well under 1 % of runs. Runs
// measured 10 to 22. Sources paced at 4 a second each without slowing
// down, as before, gave up on a search after 5 refusals within 20 s; with
// 10 retries they met 180 per 1,000.
func TestSearchSharedByThreePipelines(t *testing.T) {
	const perType, every = 60, 500 * time.Millisecond
	const warm, creating = time.Minute, 80 * time.Second
	dir := t.TempDir()
	srv := newSim(t)
	for _, typ := range searchingTypes {
		if _, err := srv.Seed(typ, perType, nil); err != nil {
			t.Fatal(err)
		}
	}
	outs := make([]string, 3)
	env := map[string]string{"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL}
	for i := range outs {
		outs[i] = filepath.Join(dir, fmt.Sprintf("out-%d.jsonl", i+1))
		env[fmt.Sprintf("OUTPUT_FILE_%d", i+1)] = outs[i]
	}
	c := startConduitFile(t, dir, filepath.Join("testdata", "three-searching-pipelines.yaml"), env)
	start := time.Now()

	// Objects come while the pipelines run, one type after another.
	var warmSearches, warmRefused int
	warmed, made := false, 0
create:
	for next := start; time.Since(start) < creating; next = next.Add(every) {
		select {
		case err := <-c.done:
			c.done <- err
			break create // Conduit exited: waitForWhy below says why
		case <-time.After(time.Until(next)):
		}
		typ := searchingTypes[made%len(searchingTypes)]
		if _, err := srv.Seed(typ, 1, func(int) map[string]string { return hubspottest.SampleProperties(typ, perType+made) }); err != nil {
			t.Fatal(err)
		}
		made++
		if !warmed && time.Since(start) >= warm {
			warmed = true
			warmSearches, warmRefused = srv.SearchLimitCounts()
		}
	}
	c.waitForWhy(t, "every object in each pipeline's file", time.Minute, func() (bool, string) {
		for i, out := range outs {
			if missing := missingObjects(srv, readRecords(t, out)); missing != "" {
				return false, fmt.Sprintf("pipeline %d: %s", i+1, missing)
			}
		}
		return true, ""
	})
	searches, refused := srv.SearchLimitCounts()
	searches, refused = searches-warmSearches, refused-warmRefused
	perThousand := 1000 * float64(refused) / float64(max(1, searches))
	t.Logf("after the first minute (%s in all): %d searches, %d refused with SECONDLY: %.1f per 1,000; %d objects made during the run",
		time.Since(start).Round(time.Second), searches, refused, perThousand, made)
	if searches < 50 {
		t.Errorf("%d searches after the first minute: the pipelines did not search as they should", searches)
	}
	if perThousand > 60 {
		t.Errorf("%.1f search 429s per 1,000 searches after the first minute, want at most 60: the pipelines did not settle under the limit", perThousand)
	}
}

// missingObjects names an object of searchingTypes the records do not hold
// (by collection and id), or is "".
func missingObjects(srv *hubspottest.Server, recs []opencdc.Record) string {
	seen := map[string]bool{}
	for _, r := range recs {
		key, _ := r.Key.(opencdc.StructuredData)
		id, _ := key["id"].(string)
		collection, _ := r.Metadata.GetCollection()
		seen[collection+"/"+id] = true
	}
	for _, typ := range searchingTypes {
		for _, id := range srv.LiveIDs(typ) {
			if !seen[typ+"/"+id] {
				return fmt.Sprintf("%s %s missing (%d records)", typ, id, len(recs))
			}
		}
	}
	return ""
}
