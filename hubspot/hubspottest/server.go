// Package hubspottest is an in-process simulator of HubSpot's CRM v3 API,
// like net/http/httptest for HubSpot: a server on 127.0.0.1 with a token, an
// in-memory store per object type, HubSpot's JSON shapes, status codes and
// error bodies, its rate limits, its search limits and search index lag, and
// faults that tests inject.
//
// It is written from HubSpot's documented behaviour, not from what this
// project's client sends, so that the client can be tested against it.
package hubspottest

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Server is a running simulator.
type Server struct {
	// URL is the base URL to give a client, such as http://127.0.0.1:4242.
	URL string
	// Token is the access token the server accepts.
	Token string
	// PortalID is the account's id, part of the fully qualified names of
	// custom objects (p{PortalID}_{name}).
	PortalID int64

	listener net.Listener
	handler  http.Handler
	http     *http.Server
	done     chan struct{}

	mu                  sync.Mutex
	clockNow            func() time.Time // the Now of the WithClock clock
	frozen              *time.Time
	lag                 time.Duration
	late                lateIndex
	short               float64    // the share of search pages cut short
	searchBodyLimit     int        // the most characters of a search body; 0: any
	pageRng             *rand.Rand // draws the short pages
	lagRng              *rand.Rand // draws the late writes
	mergeKeepsPrimaryID bool
	ownerArchiveTouches bool // deactivating an owner moves its updatedAt
	numberedRetired     bool
	types               map[string]*typeStore
	owners              *ownerStore
	assoc               *assocStore
	assocBumps          bool // a link change moves both ends' last-modified time
	linkChanges         []LinkChange
	cmsDocs             map[CMSType]*docStore
	cmsSort             CMSSort // how the CMS lists sort (cmssort.go)
	archiveMovesUpdated bool    // WithArchiveMovesUpdated
	redirectTimesAt     bool    // WithRedirectTimesAt
	hubdb               hubdbStore
	pipelines           *pipelineStore
	lists               *listStore
	historyPagesLowered bool  // WithHistoryPagesLowered
	historyReads        []int // HistoryReads
	changes             []loggedChange
	calls               map[string]int
	faults              []*Fault
	rng                 *rand.Rand
	limits              limits
	requests            rateState
	oauth               oauthState
	// refused counts the 429s the server answered.
	refused int
	// answer is the buffer answers are written in, kept between them
	// (under mu): a page of wide objects is megabytes.
	answer []byte
	// lazy are object types whose list is made up on the fly.
	lazy      map[string]lazyObjects
	startedAt time.Time
	rollout   rollout
	// catalog: the full property catalogue gives generated objects values.
	catalog catalogConfig
	// typeNames maps the other names a path may give a type (a standard
	// type's 0-N id, a custom type's fully qualified name) to its key in types.
	typeNames map[string]string
	// customs are the custom object types, which the schemas API lists.
	customs []customType
	// rules are the account's rules for property values (validations.go).
	rules accountRules
	// zoneName is the account's time zone as its details name it, and
	// zone the one whose midnight resets the daily quota.
	zoneName string
	zone     *time.Location
	// missingScopes are the scopes the token lacks (WithoutScopes).
	missingScopes []string
}

// rollout holds the behaviours in which HubSpot accounts or API rollouts
// differ; the zero value is what current API versions do.
type rollout struct {
	// noTraceIDs: batch create and upsert answers carry no
	// objectWriteTraceId, on results and errors alike.
	noTraceIDs bool
	// partialContactBatches: contact batch creates and upserts apply the
	// good inputs and answer 207 for the others, as other types do.
	partialContactBatches bool
}

// NewServer starts a simulator. Close stops it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{
		addr:     "127.0.0.1:0",
		portalID: 1234567,
		timeZone: DefaultAccountTimeZone,
		limits: limits{
			burst: 190, window: 10 * time.Second, daily: 1_000_000,
			search: 5, searchWindow: time.Second, oauthBurst: defaultOAuthBurst,
		},
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.token == "" {
		cfg.token = "pat-sim-" + randomHex(16)
	}
	if !cfg.seeded {
		cfg.seed = rand.Uint64() // each server its own choices; WithRandomSeed repeats them
	}
	host, _, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("hubspottest: address %q: %w", cfg.addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("hubspottest: address %q: only loopback addresses are served", cfg.addr)
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("hubspottest: listen: %w", err)
	}
	s := &Server{
		URL:                 "http://" + ln.Addr().String(),
		Token:               cfg.token,
		PortalID:            cfg.portalID,
		listener:            ln,
		done:                make(chan struct{}),
		clockNow:            time.Now,
		lag:                 cfg.lag,
		types:               map[string]*typeStore{},
		typeNames:           map[string]string{},
		owners:              &ownerStore{byID: map[int64]*owner{}, nextID: 100},
		calls:               map[string]int{},
		rng:                 rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
		limits:              cfg.limits,
		lazy:                cfg.lazy,
		rollout:             cfg.rollout,
		late:                cfg.late,
		short:               cfg.short,
		searchBodyLimit:     cfg.searchBodyLimit,
		pageRng:             rand.New(rand.NewPCG(cfg.seed, 0x5e1ec7)),
		lagRng:              rand.New(rand.NewPCG(cfg.seed, 0x1a7e)),
		mergeKeepsPrimaryID: cfg.mergeKeepsPrimaryID,
		ownerArchiveTouches: cfg.ownerArchiveTouches,
		numberedRetired:     cfg.numberedRetired,
		oauth:               newOAuthState(cfg),
		catalog:             cfg.catalog,
		zoneName:            cfg.timeZone,
		zone:                accountZone(cfg.timeZone),
		missingScopes:       cfg.missingScopes,
		cmsSort:             cfg.cmsSort,
		archiveMovesUpdated: cfg.archiveMovesUpdated,
		redirectTimesAt:     cfg.redirectTimesAt,
		pipelines:           newPipelineStore(cfg.archivedPipelines),
		lists:               newListStore(cfg.deletedListsInSearch),
		historyPagesLowered: cfg.historyPagesLowered,
	}
	if cfg.clock != nil {
		s.clockNow = cfg.clock.Now
	}
	if cfg.skew != 0 {
		clockNow := s.clockNow
		s.clockNow = func() time.Time { return clockNow().Add(-cfg.skew) }
	}
	s.startedAt = s.now()
	for name, t := range standardTypes() {
		if cfg.catalog.full {
			t.addCatalog(catalog(name))
		}
		s.types[name] = newTypeStore(t)
		for _, other := range append([]string{t.id}, t.aliases...) {
			if other != "" {
				s.typeNames[other] = name
			}
		}
	}
	s.customs = cfg.customs
	for _, c := range cfg.customs {
		s.types[c.id] = newTypeStore(newObjectType(c.id, "hs_createdate", "hs_lastmodifieddate", nil, c.props...))
		if c.name != "" {
			s.typeNames[fmt.Sprintf("p%d_%s", s.PortalID, c.name)] = c.id
			s.typeNames["p_"+c.name] = c.id
		}
	}
	s.assoc = newAssocStore(slices.Collect(maps.Keys(s.types)))
	s.assocBumps = cfg.assocBumps
	s.handler = s.dated(s.routes())
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

// Handler returns the simulator's HTTP handler, to serve it from another
// server as well, such as httptest.NewTLSServer for the https path. It
// shares the state of s: objects, rate limits, faults and call counts, and
// needs s.Token like s.URL does. Close does not stop other servers.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server and closes every connection.
func (s *Server) Close() {
	_ = s.http.Close()
	<-s.done
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) correlationID() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(s.rng.UintN(256))
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (s *Server) logChange(typ string, r *record, kind string, at time.Time) {
	s.changes = append(s.changes, loggedChange{Change: Change{Type: typ, ID: idString(r.id), Kind: kind, At: at}, props: r.props})
}

// loggedChange is a Change as the log keeps it: with the version the
// record stores, which Changes turns into Properties.
type loggedChange struct {
	Change
	props values
}

// ---- writes from tests, through the same rules as the API ----

// Create creates an object as a POST would and returns its id.
func (s *Server) Create(objectType string, props map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, apiErr := s.createLocked(objectType, toPointers(props))
	if apiErr != nil {
		return "", apiErr.asError()
	}
	return idString(r.id), nil
}

// Update changes an object's properties as a PATCH would; "" clears one.
func (s *Server) Update(objectType, id string, props map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, apiErr := s.updateLocked(objectType, "", id, toPointers(props))
	if apiErr != nil {
		return apiErr.asError()
	}
	return nil
}

// Archive archives an object as a DELETE would.
func (s *Server) Archive(objectType, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return unknownType(objectType).asError()
	}
	s.archiveLocked(ts, id)
	return nil
}

// Merge merges the object mergedID into primaryID as
// POST /crm/v3/objects/{type}/merge would, and returns the id of the
// object that holds both now: a new one, or primaryID with
// WithMergeKeepsPrimaryID.
func (s *Server) Merge(objectType, primaryID, mergedID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, apiErr := s.mergeLocked(objectType, primaryID, mergedID)
	if apiErr != nil {
		return "", apiErr.asError()
	}
	return idString(r.id), nil
}

// Seed creates n objects of a type and returns their ids. props gives the
// properties of the i-th object; nil uses plausible generated values.
func (s *Server) Seed(objectType string, n int, props func(i int) map[string]string) ([]string, error) {
	if props == nil {
		props = func(i int) map[string]string { return SampleProperties(objectType, i) }
	}
	ids := make([]string, 0, n)
	for i := range n {
		id, err := s.seedOne(objectType, i, props(i))
		if err != nil {
			return ids, fmt.Errorf("seed %s %d: %w", objectType, i, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// seedOne creates the i-th seeded object: with the full catalogue, the
// catalogue's values (values.go) go under the caller's. They are stored as
// they are, not checked as a write is: they stand for what HubSpot itself
// calculated (read-only properties) and for imported values
// (WithUnparsableValues).
func (s *Server) seedOne(objectType string, i int, props map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return "", unknownType(objectType).asError()
	}
	var stored map[string]string
	if s.catalog.full && !s.catalog.sparse {
		stored = catalogValues(ts.t, i, nil, s.catalog)
		for name := range props {
			delete(stored, name)
		}
	}
	r, apiErr := s.createStoringLocked(ts, toPointers(props), stored)
	if apiErr != nil {
		return "", apiErr.asError()
	}
	return idString(r.id), nil
}

// SampleProperties returns plausible properties for the i-th generated
// object of a type.
func SampleProperties(objectType string, i int) map[string]string {
	switch objectType {
	case "contacts":
		return map[string]string{"email": fmt.Sprintf("person%d@example.com", i), "firstname": fmt.Sprintf("First%d", i), "lastname": fmt.Sprintf("Last%d", i)}
	case "companies":
		return map[string]string{"name": fmt.Sprintf("Company %d", i), "domain": fmt.Sprintf("company%d.example.com", i)}
	case "deals":
		return map[string]string{"dealname": fmt.Sprintf("Deal %d", i), "amount": fmt.Sprintf("%d", 100+i), "dealstage": "appointmentscheduled", "pipeline": "default"}
	case "tickets":
		return map[string]string{"subject": fmt.Sprintf("Ticket %d", i), "hs_pipeline": "0", "hs_pipeline_stage": "1"}
	case "products", "line_items":
		return map[string]string{"name": fmt.Sprintf("Item %d", i), "price": fmt.Sprintf("%d.50", i)}
	case "quotes":
		return map[string]string{"hs_title": fmt.Sprintf("Quote %d", i), "hs_expiration_date": "2030-01-01T00:00:00.000Z"}
	case "notes":
		return map[string]string{"hs_timestamp": "2026-01-01T00:00:00.000Z", "hs_note_body": fmt.Sprintf("Note %d", i)}
	case "calls", "emails", "meetings", "tasks":
		return map[string]string{"hs_timestamp": "2026-01-01T00:00:00.000Z"}
	default:
		return map[string]string{}
	}
}

func toPointers(props map[string]string) map[string]*string {
	out := make(map[string]*string, len(props))
	for k, v := range props {
		out[k] = &v
	}
	return out
}

func (e *apiError) asError() error {
	return fmt.Errorf("hubspottest: %d %s: %s", e.status, e.category, e.message)
}

func unknownType(name string) *apiError {
	return badRequest(fmt.Sprintf("Unable to infer object type from: %s", name))
}

// ---- the writes themselves; callers hold s.mu ----

func (s *Server) createLocked(objectType string, props map[string]*string) (*record, *apiError) {
	ts := s.types[objectType]
	if ts == nil {
		return nil, unknownType(objectType)
	}
	return s.createStoringLocked(ts, props, nil)
}

// createStoringLocked creates an object from props, checked as a write,
// and stored, values kept as they are (seedOne).
func (s *Server) createStoringLocked(ts *typeStore, props map[string]*string, stored map[string]string) (*record, *apiError) {
	checked, apiErr := ts.checkWrite(props, nil)
	if apiErr != nil {
		return nil, apiErr
	}
	for name, v := range stored {
		checked[name] = &v
	}
	now := s.now()
	r := ts.create(now, s.writeLag(), checked)
	s.logChange(ts.t.name, r, ChangeCreate, now)
	return r, nil
}

func (s *Server) updateLocked(objectType, idProperty, id string, props map[string]*string) (*record, *apiError) {
	ts := s.types[objectType]
	if ts == nil {
		return nil, unknownType(objectType)
	}
	r, apiErr := ts.lookup(idProperty, id)
	if apiErr != nil {
		return nil, apiErr
	}
	if r == nil || r.archived {
		return nil, notFound(fmt.Sprintf("Object with id %s not found", id))
	}
	checked, apiErr := ts.checkWrite(props, r)
	if apiErr != nil {
		return nil, apiErr
	}
	now := s.now()
	ts.apply(now, s.writeLag(), r, checked)
	s.logChange(objectType, r, ChangeUpdate, now)
	return r, nil
}

func (s *Server) mergeLocked(objectType, primaryID, mergedID string) (*record, *apiError) {
	ts := s.types[objectType]
	if ts == nil {
		return nil, unknownType(objectType)
	}
	if !ts.t.merges {
		return nil, badRequest(fmt.Sprintf("Merging is not supported for %s", objectType))
	}
	primary, _ := ts.lookup("", primaryID)
	secondary, _ := ts.lookup("", mergedID)
	switch {
	case primary == nil || primary.archived:
		return nil, notFound(fmt.Sprintf("Object with id %s not found", primaryID))
	case secondary == nil || secondary.archived:
		return nil, notFound(fmt.Sprintf("Object with id %s not found", mergedID))
	case primary == secondary:
		return nil, badRequest(fmt.Sprintf("Cannot merge object %s into itself", primaryID))
	}
	now := s.now()
	survivor := ts.merge(now, s.writeLag(), primary, secondary, s.mergeKeepsPrimaryID)
	s.mergeLinksLocked(ts, survivor, primary, secondary)
	for _, r := range []*record{primary, secondary} {
		if r != survivor {
			s.logChange(objectType, r, ChangeMerge, now)
		}
	}
	kind := ChangeUpdate
	if survivor != primary {
		kind = ChangeCreate
	}
	s.logChange(objectType, survivor, kind, now)
	return survivor, nil
}

// archiveLocked archives a live object; unknown and archived ids are
// ignored, as HubSpot answers 204 for them too.
func (s *Server) archiveLocked(ts *typeStore, id string) {
	r := ts.byIDString(id)
	if r == nil || r.archived || r.mergedInto != 0 {
		return // HubSpot's docs do not say that an absorbed id archives the survivor
	}
	now := s.now()
	ts.archive(now, s.lag, r)
	s.logChange(ts.t.name, r, ChangeArchive, now)
}

// writeLag is how long the write being made takes to reach search.
// Callers hold s.mu.
func (s *Server) writeLag() time.Duration {
	if s.late.fraction > 0 && s.lagRng.Float64() < s.late.fraction {
		return s.late.lag
	}
	return s.lag
}

// callKey names an endpoint for the call counts.
func callKey(r *http.Request) string {
	p := r.Pattern
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	if p == "" {
		p = r.URL.Path
	}
	p = strings.Replace(p, "{type}", r.PathValue("type"), 1)
	p = strings.Replace(p, "{op}", r.PathValue("op"), 1)
	p = strings.Replace(p, "{from}", r.PathValue("from"), 1)
	p = strings.Replace(p, "{to}", r.PathValue("to"), 1)
	return r.Method + " " + p
}
