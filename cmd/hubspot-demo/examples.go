package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

// setup is what an example needs around Conduit: the simulators (and
// files, a PostgreSQL cluster) it reads and writes, the environment its
// pipeline file names, and what shows its progress.
type setup struct {
	env  []string
	view poller
	// kept are the lines, "what: path", printed when the example stops:
	// the files it leaves.
	kept []string
	// summary, if set, says at the stop what the example showed.
	summary func() string
	closers []func()
}

// close stops what prepare started, last first.
func (s *setup) close() {
	for _, c := range slices.Backward(s.closers) {
		c()
	}
}

// sim starts a simulator that close stops.
func (s *setup) sim(opts ...hubspottest.Option) (*hubspottest.Server, error) {
	srv, err := hubspottest.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("start the simulator: %w", err)
	}
	s.closers = append(s.closers, srv.Close)
	return srv, nil
}

// options are the demo's flags that examples use.
type options struct {
	// tokenLifetime is how long the OAuth example's access tokens last.
	tokenLifetime time.Duration
}

// prepareFunc sets up an example in work; out is where it says what it
// started.
type prepareFunc func(ctx context.Context, out io.Writer, work string, opt options) (*setup, error)

// examples are the pipeline files of examples/ by name (without .yaml),
// each with what runs it against the simulator. TestEveryExampleRuns
// checks that each file has one.
func examples() map[string]prepareFunc {
	return map[string]prepareFunc{
		"hubspot-to-file":         hubspotToFile,
		"hubspot-oauth-to-file":   hubspotOAuthToFile,
		"file-to-hubspot":         fileToHubSpot("file-to-hubspot"),
		"file-to-hubspot-dlq":     fileToHubSpot("file-to-hubspot-dlq"),
		"files-to-hubspot-links":  filesToHubSpotLinks,
		"hubspot-to-hubspot":      hubspotToHubSpot([]string{"contacts"}, nil),
		"hubspot-crm-to-hubspot":  hubspotToHubSpot([]string{"contacts", "companies", "deals"}, [][2]string{{"contacts", "companies"}, {"deals", "companies"}}),
		"hubspot-cms-to-hubspot":  hubspotCMSToHubSpot,
		"hubspot-to-postgres":     hubspotToPostgres(pgtest.ContactsTable, "contacts"),
		"hubspot-crm-to-postgres": hubspotToPostgres(pgtest.CRMTables, "contacts", "companies", "deals"),
		"hubspot-deal-pipelines-to-postgres": hubspotToPostgres(pgtest.DealPipelineTables,
			"deals", "deal_pipelines", "deal_pipeline_stages", "deals_property_history"),
	}
}

// sourceEnv is the environment of a pipeline that reads srv.
func sourceEnv(srv *hubspottest.Server) []string {
	return []string{
		"HUBSPOT_ACCESS_TOKEN=" + srv.Token, "HUBSPOT_BASE_URL=" + srv.URL,
		"HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=10s",
		"HUBSPOT_ASSOCIATIONS_REFRESH_PERIOD=1m",
	}
}

// mutating seeds srv with n objects of each type and returns what starts
// the changes, 5 a second, once the snapshot is read: changes during the
// snapshot would make its count differ from the banner's.
func mutating(ctx context.Context, out io.Writer, srv *hubspottest.Server, n int, resources ...string) (func(), error) {
	// The pipeline resources are the simulator's default pipelines, not
	// objects to seed or change.
	types := slices.DeleteFunc(slices.Clone(resources), func(name string) bool {
		res, err := hubspot.LookupResource(name)
		return err != nil || res.Kind != hubspot.KindCRMObject
	})
	for _, typ := range types {
		if _, err := srv.Seed(typ, n, nil); err != nil {
			return nil, fmt.Errorf("seed %s: %w", typ, err)
		}
	}
	// The seed is printed so that the changes can be made again:
	// hubspot-sim -seed contacts=1000 -mutate 5/s -mutate-seed N.
	seed := rand.Uint64()
	each := ""
	if len(types) > 1 {
		each = " each of"
	}
	fmt.Fprintf(out, "HubSpot simulator at %s: %s%s %s; 5 changes a second after the snapshot (seed %d)\n",
		srv.URL, thousands(n), each, strings.Join(types, ", "), seed)
	return func() { go simdata.Mutate(ctx, srv, types, 5, seed, nil) }, nil
}

// hubspotToFile is the demo: contacts of the simulator, or of the account
// of HUBSPOT_ACCESS_TOKEN, into a file shown as it grows.
func hubspotToFile(ctx context.Context, out io.Writer, work string, _ options) (*setup, error) {
	s := &setup{}
	output := filepath.Join(work, "contacts.jsonl")
	s.kept = []string{"records: " + output}
	token, baseURL := os.Getenv("HUBSPOT_ACCESS_TOKEN"), os.Getenv("HUBSPOT_BASE_URL")
	afterSnapshot := func() {}
	if token == "" {
		srv, err := s.sim()
		if err != nil {
			return s, err
		}
		if afterSnapshot, err = mutating(ctx, out, srv, seeded, "contacts"); err != nil {
			return s, err
		}
		s.env = sourceEnv(srv)
	} else {
		if baseURL == "" {
			baseURL = hubspot.DefaultBaseURL
		}
		fmt.Fprintf(out, "Reading contacts from your HubSpot account at %s\n", baseURL)
		s.env = []string{"HUBSPOT_ACCESS_TOKEN=" + token, "HUBSPOT_BASE_URL=" + baseURL,
			"HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=10s"}
	}
	s.env = append(s.env, "OUTPUT_FILE="+output)
	s.view = newViewer(out, output, seeded, afterSnapshot)
	return s, nil
}

// hubspotOAuthToFile is hubspotToFile signed in as an OAuth app: the
// simulator's token endpoint exchanges the refresh token for access tokens
// of opt.tokenLifetime, and the stop says how many it issued.
func hubspotOAuthToFile(ctx context.Context, out io.Writer, work string, opt options) (*setup, error) {
	s := &setup{}
	app := [3]string{"example-client-" + randomHex(), "example-secret-" + randomHex(), "example-refresh-" + randomHex()}
	srv, err := s.sim(hubspottest.WithOAuthApp(app[0], app[1], app[2]), hubspottest.WithAccessTokenLifetime(opt.tokenLifetime))
	if err != nil {
		return s, err
	}
	afterSnapshot, err := mutating(ctx, out, srv, seeded, "contacts")
	if err != nil {
		return s, err
	}
	fmt.Fprintf(out, "OAuth app %s installed; its access tokens last %s\n", app[0], opt.tokenLifetime)
	output := filepath.Join(work, "contacts.jsonl")
	s.kept = []string{"records: " + output}
	s.env = []string{
		"HUBSPOT_CLIENT_ID=" + app[0], "HUBSPOT_CLIENT_SECRET=" + app[1], "HUBSPOT_REFRESH_TOKEN=" + app[2],
		"HUBSPOT_BASE_URL=" + srv.URL, "HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=10s",
		"OUTPUT_FILE=" + output,
	}
	s.view = newViewer(out, output, seeded, afterSnapshot)
	s.summary = func() string {
		return fmt.Sprintf("the simulator's token endpoint issued %d access tokens", srv.Calls()["POST /oauth/2026-03/token"])
	}
	return s, nil
}

// randomHex is 8 random bytes in hex: a simulated app's secrets.
func randomHex() string { return fmt.Sprintf("%016x", rand.Uint64()) }
