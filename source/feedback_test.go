package source_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/matryer/is"
)

const feedbackType = hubspot.FeedbackSubmissionsResourceName

// feedbackProps are the properties the feedback tests read and compare.
var feedbackProps = []string{"hs_sentiment", "hs_survey_channel", "hs_response_value"}

// addFeedback records a survey response, as HubSpot does when one is
// submitted: the API itself writes none.
func addFeedback(t *testing.T, e env, i int) string {
	t.Helper()
	id, err := e.srv.Create(feedbackType, map[string]string{
		"hs_sentiment": "POSITIVE", "hs_survey_channel": "EMAIL", "hs_response_value": fmt.Sprint(i % 11),
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// changeFeedback makes n random new responses, changes and deletes of
// responses in the account, the clock moving on now and then.
func changeFeedback(t *testing.T, e env, rng *rand.Rand, ids *[]string, n int) {
	t.Helper()
	churn(e, rng, n, func() bool { return len(*ids) == 0 }, func() {
		*ids = append(*ids, addFeedback(t, e, len(*ids)))
	}, func() {
		if err := e.srv.Archive(feedbackType, (*ids)[rng.IntN(len(*ids))]); err != nil {
			t.Fatal(err)
		}
	}, func() {
		sentiment := []string{"POSITIVE", "NEUTRAL", "NEGATIVE"}[rng.IntN(3)]
		// An archived id is refused: the change does not happen.
		_ = e.srv.Update(feedbackType, (*ids)[rng.IntN(len(*ids))], map[string]string{"hs_sentiment": sentiment})
	})
}

// TestFeedbackSubmissionsSnapshotThenCDC: under either name, a snapshot of
// 30 responses, then 50 random new, changed and deleted ones, come out
// complete in the collection feedback_submissions, each delete once.
func TestFeedbackSubmissionsSnapshotThenCDC(t *testing.T) {
	for _, name := range []string{"crm.feedbackSubmissions", feedbackType} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			e := newEnv(t)
			var ids []string
			for i := range 30 {
				ids = append(ids, addFeedback(t, e, i))
			}
			e.tick()
			settings := map[string]string{"resource": name, "bufferSize": "7", "properties": "hs_sentiment,hs_survey_channel,hs_response_value"}
			src := openSource(t, e, settings, nil)
			recs := e.readQuiet(t, src, 100*time.Millisecond, time.Minute)
			is.Equal(countOps(recs), map[opencdc.Operation]int{opencdc.OperationSnapshot: 30})
			start := *positionOf(t, recs[0]).InitialTimestamp
			col, err := recs[0].Metadata.GetCollection()
			is.NoErr(err)
			is.Equal(col, feedbackType)
			encodes(t, recs)

			rng := rand.New(rand.NewPCG(19, 3))
			recs = append(recs, readChanges(t, e, src, func() { changeFeedback(t, e, rng, &ids, 10) })...)
			rp := newReplica()
			rp.apply(t, recs)
			rp.check(t, e.srv, feedbackType, start, feedbackProps)
			rp.deletedOnce(t, "response")
		})
	}
}

// TestFeedbackSubmissionsRestartAtAckedPositions: 50 random changes during
// and after a snapshot, the source stopped 10 times at random acked
// positions and opened again there: nothing is lost.
func TestFeedbackSubmissionsRestartAtAckedPositions(t *testing.T) {
	e := newEnv(t, hubspottest.WithRandomSeed(5))
	var ids []string
	for i := range 30 {
		ids = append(ids, addFeedback(t, e, i))
	}
	e.tick()
	rng := rand.New(rand.NewPCG(5, 19))
	settings := map[string]string{"resource": "crm.feedbackSubmissions", "bufferSize": "7"}
	src := openSource(t, e, settings, nil)
	acked, start := restartRun(t, e, src, settings, rng, func() { changeFeedback(t, e, rng, &ids, 5) })
	rp := newReplica()
	rp.apply(t, acked)
	rp.checkState(t, e.srv, feedbackType, start, feedbackProps, false)
}

// TestFeedbackSubmissionsAPIRefusesWrites: the simulator, as HubSpot's
// docs say, reads feedback submissions and writes none through the API.
func TestFeedbackSubmissionsAPIRefusesWrites(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	id := addFeedback(t, e, 1)
	objects := apiClient(t, e).Objects
	ctx := t.Context()
	_, err := objects.Create(ctx, feedbackType, hubspot.Properties{"hs_sentiment": hubspot.String("NEGATIVE")})
	is.Equal(hubspot.StatusCode(err), 405)
	_, err = objects.Update(ctx, feedbackType, id, hubspot.Properties{"hs_sentiment": hubspot.String("NEGATIVE")})
	is.Equal(hubspot.StatusCode(err), 405)
	is.Equal(hubspot.StatusCode(objects.Archive(ctx, feedbackType, id)), 405)
	got, err := objects.Get(ctx, feedbackType, id, hubspot.GetOptions{Properties: []string{"hs_sentiment"}})
	is.NoErr(err)
	is.Equal(*got.Properties["hs_sentiment"], "POSITIVE")
}
