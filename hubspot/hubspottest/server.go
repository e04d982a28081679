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
	http     *http.Server
	done     chan struct{}

	mu                  sync.Mutex
	clock               Clock
	frozen              *time.Time
	lag                 time.Duration
	late                lateIndex
	short               float64    // the share of search pages cut short
	pageRng             *rand.Rand // draws the short pages
	lagRng              *rand.Rand // draws the late writes
	mergeKeepsPrimaryID bool
	types               map[string]*typeStore
	owners              *ownerStore
	changes             []Change
	calls               map[string]int
	faults              []*Fault
	rng                 *rand.Rand
	limits              limits
	requests            rateState
	// refused counts the 429s the server answered.
	refused int
	// generated are object types whose list is made up on the fly.
	generated map[string]int
	startedAt time.Time
	rollout   rollout
	// typeNames maps the other names a path may give a type (a standard
	// type's 0-N id, a custom type's fully qualified name) to its key in types.
	typeNames map[string]string
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

// Clock is the simulator's time source.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a clock that moves only when told.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// limits are the rate limits the server enforces; zero requests is off.
type limits struct {
	burst        int
	window       time.Duration
	daily        int
	search       int
	searchWindow time.Duration
	// retryAfter adds a Retry-After header to the 429s of the burst and
	// search limits.
	retryAfter bool
}

// Option configures a Server.
type Option func(*config)

type config struct {
	addr                string
	token               string
	clock               Clock
	lag                 time.Duration
	limits              limits
	seed                uint64
	seeded              bool
	customs             []customType
	generated           map[string]int
	rollout             rollout
	portalID            int64
	late                lateIndex
	short               float64
	mergeKeepsPrimaryID bool
}

type customType struct {
	id    string
	name  string
	props []PropertyDef
}

// WithAddr listens on addr (default 127.0.0.1:0, a free port). Only
// loopback addresses are accepted.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithToken sets the accepted access token (default: a random one).
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithClock sets the time source (default: the wall clock). Times are kept
// to the millisecond, as HubSpot keeps them.
func WithClock(clock Clock) Option { return func(c *config) { c.clock = clock } }

// WithIndexLag sets how long a write takes to reach search (default 0):
// until then search misses a new object, or shows a changed one's old values.
func WithIndexLag(lag time.Duration) Option { return func(c *config) { c.lag = lag } }

// lateIndex makes a share of the writes reach search later than the rest.
type lateIndex struct {
	fraction float64
	lag      time.Duration
}

// WithLateIndexing makes a fixed-seed share (0 to 1) of the writes reach
// search only after lag instead of the index lag of WithIndexLag. HubSpot
// documents no bound on the lag ("can take seconds", hubspot-api.md); this
// models the few late changes issue 11's independent fake showed, off by
// default. The draws follow WithRandomSeed.
func WithLateIndexing(fraction float64, lag time.Duration) Option {
	return func(c *config) { c.late = lateIndex{fraction: fraction, lag: lag} }
}

// WithShortPages makes a fixed-seed share (0 to 1) of search pages hold
// fewer results than the limit asked for, while paging.next still offers
// the rest, as HubSpot's search does at times (hubspot-api.md: whether more
// results exist is told by paging.next, never by the page's length). It is
// off by default because HubSpot does not do it on every account or query.
// The draws follow WithRandomSeed.
func WithShortPages(fraction float64) Option { return func(c *config) { c.short = fraction } }

// WithMergeKeepsPrimaryID makes a merge keep the primary object's id, as
// HubSpot merged contacts and companies before its 2024 change. By default
// a merge creates a new object with a new id, as HubSpot does now: "a new
// record with a new ID will be created for the resulting merged record,
// with both records merged into the new one" and "both of the previous IDs
// will point to the resulting merged record"
// (https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies).
func WithMergeKeepsPrimaryID() Option { return func(c *config) { c.mergeKeepsPrimaryID = true } }

// WithRateLimit sets the rolling-window limit per token (default 190 per
// 10 s, HubSpot's Professional and Enterprise tiers); 0 requests turns it off.
func WithRateLimit(requests int, window time.Duration) Option {
	return func(c *config) { c.limits.burst, c.limits.window = requests, window }
}

// WithDailyLimit sets the requests allowed per UTC day (default 1,000,000);
// 0 turns it off.
func WithDailyLimit(requests int) Option { return func(c *config) { c.limits.daily = requests } }

// WithSearchRateLimit sets the search requests allowed per second (default
// 5); 0 turns it off.
func WithSearchRateLimit(perSecond int) Option {
	return func(c *config) { c.limits.search, c.limits.searchWindow = perSecond, time.Second }
}

// WithRetryAfter makes the 429s of the burst and search limits carry a
// Retry-After header: the seconds until the window frees a slot. HubSpot
// sends one sometimes, and often not (../shared/hubspot-api.md, "Rate
// limits"), so by default the simulator sends none.
func WithRetryAfter() Option { return func(c *config) { c.limits.retryAfter = true } }

// WithoutRateLimits turns every rate limit off.
func WithoutRateLimits() Option {
	return func(c *config) { c.limits = limits{} }
}

// WithRandomSeed makes the server's choices (result order of batch calls,
// correlation ids) repeatable.
func WithRandomSeed(seed uint64) Option {
	return func(c *config) { c.seed, c.seeded = seed, true }
}

// WithCustomObjectType adds a custom object type, such as "2-12345", with
// the given properties besides the ones every type has.
func WithCustomObjectType(typeID string, props ...PropertyDef) Option {
	return WithCustomObject(typeID, "", props...)
}

// WithCustomObject adds a custom object type with a name, such as "cars":
// paths then take its fully qualified name p{portalId}_{name} (and the short
// p_{name}) as well as its type id, as HubSpot's do
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/schemas/get-schema).
func WithCustomObject(typeID, name string, props ...PropertyDef) Option {
	return func(c *config) { c.customs = append(c.customs, customType{typeID, name, props}) }
}

// WithPortalID sets the account's id (default 1234567).
func WithPortalID(id int64) Option { return func(c *config) { c.portalID = id } }

// WithGeneratedObjects makes the list of objectType serve n made-up objects
// (ids 1 to n, created an hour before the server started) that are never
// stored, so that a snapshot of millions of objects costs the simulator no
// memory. Only the list endpoint serves them.
func WithGeneratedObjects(objectType string, n int) Option {
	return func(c *config) {
		if c.generated == nil {
			c.generated = map[string]int{}
		}
		c.generated[objectType] = n
	}
}

// WithoutWriteTraceIDs answers batch creates and upserts as older rollouts
// of v3 do: without objectWriteTraceId on results and errors
// (hubspot-api.md, batch results), so that a writer must match results to
// inputs by their values.
func WithoutWriteTraceIDs() Option {
	return func(c *config) { c.rollout.noTraceIDs = true }
}

// WithPartialContactBatches makes contact batch creates and upserts apply
// their good inputs and answer 207 for the bad ones. By default they are
// all or nothing, as HubSpot answers them: one bad input fails the whole
// call with that input's 400 or 409, naming no input. Sources: a batch
// create with existing emails gets one "Contact already exists" 409 for
// the call (github.com/HubSpot/hubspot-api-python/issues/51), as does one
// with a duplicate email (github.com/Joystream/youtube-synch/pull/355);
// HubSpot's contacts batch endpoint: "any errors with a single contact in
// your batch will prevent the entire batch from processing" with a 400
// (developers.hubspot.com/docs/api-reference/legacy/crm-contacts-v1);
// upserts likewise per issue 11. Batch updates stay per input: no source
// says otherwise.
func WithPartialContactBatches() Option {
	return func(c *config) { c.rollout.partialContactBatches = true }
}

// NewServer starts a simulator. Close stops it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{
		addr:     "127.0.0.1:0",
		clock:    realClock{},
		portalID: 1234567,
		limits: limits{
			burst: 190, window: 10 * time.Second, daily: 1_000_000,
			search: 5, searchWindow: time.Second,
		},
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.token == "" {
		cfg.token = "pat-sim-" + randomHex(16)
	}
	if !cfg.seeded {
		cfg.seed = uint64(time.Now().UnixNano())
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
		clock:               cfg.clock,
		lag:                 cfg.lag,
		types:               map[string]*typeStore{},
		typeNames:           map[string]string{},
		owners:              &ownerStore{byID: map[int64]*owner{}, nextID: 100},
		calls:               map[string]int{},
		rng:                 rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
		limits:              cfg.limits,
		generated:           cfg.generated,
		rollout:             cfg.rollout,
		late:                cfg.late,
		short:               cfg.short,
		pageRng:             rand.New(rand.NewPCG(cfg.seed, 0x5e1ec7)),
		lagRng:              rand.New(rand.NewPCG(cfg.seed, 0x1a7e)),
		mergeKeepsPrimaryID: cfg.mergeKeepsPrimaryID,
	}
	s.startedAt = s.now()
	for name, t := range standardTypes() {
		s.types[name] = newTypeStore(t)
		s.typeNames[t.id] = name
	}
	for _, c := range cfg.customs {
		s.types[c.id] = newTypeStore(newObjectType(c.id, "hs_createdate", "hs_lastmodifieddate", nil, c.props...))
		if c.name != "" {
			s.typeNames[fmt.Sprintf("p%d_%s", s.PortalID, c.name)] = c.id
			s.typeNames["p_"+c.name] = c.id
		}
	}
	s.http = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

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

// now is the server's time, to the millisecond. Callers hold s.mu.
func (s *Server) now() time.Time {
	if s.frozen != nil {
		return *s.frozen
	}
	return s.clock.Now().UTC().Truncate(time.Millisecond)
}

// SameMillisecond runs fn with the server's time stopped, so that every
// change fn makes (through the helpers or over HTTP) shares one millisecond.
func (s *Server) SameMillisecond(fn func()) {
	s.mu.Lock()
	t := s.now()
	s.frozen = &t
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.frozen = nil
		s.mu.Unlock()
	}()
	fn()
}

func (s *Server) correlationID() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(s.rng.UintN(256))
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ---- ground truth ----

// ObjectTypes lists the object types the server knows.
func (s *Server) ObjectTypes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.types))
}

// Objects returns every object of a type, archived ones too, by id.
func (s *Server) Objects(objectType string) []Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return nil
	}
	out := make([]Object, 0, len(ts.ids))
	for _, id := range ts.ids {
		out = append(out, ts.byID[id].public(objectType))
	}
	return out
}

// Object returns one object by id, archived or not.
func (s *Server) Object(objectType, id string) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.types[objectType]
	if ts == nil {
		return Object{}, false
	}
	r := ts.byIDString(id)
	if r == nil {
		return Object{}, false
	}
	return r.public(objectType), true
}

// Changes returns the change log of a type ("" for every type), oldest
// first.
func (s *Server) Changes(objectType string) []Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Change
	for _, c := range s.changes {
		if objectType == "" || c.Type == objectType {
			c.Properties = maps.Clone(c.Properties)
			out = append(out, c)
		}
	}
	return out
}

// Calls returns how many requests each endpoint received, keyed like
// "POST /crm/v3/objects/contacts/batch/create" or
// "GET /crm/v3/objects/contacts/{id}". Every request counts, refused ones
// (401, 429, injected faults) too.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// TotalCalls returns the number of requests the server received.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// ResetCalls sets every call count, and the count of 429s, to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
	s.refused = 0
}

// RateLimited returns how many requests the server refused with a 429 for
// its rate limits (injected faults not counted).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

func (s *Server) logChange(typ string, r *record, kind string, at time.Time) {
	s.changes = append(s.changes, Change{Type: typ, ID: idString(r.id), Kind: kind, At: at, Properties: maps.Clone(r.props)})
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
		id, err := s.Create(objectType, props(i))
		if err != nil {
			return ids, fmt.Errorf("seed %s %d: %w", objectType, i, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
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
	checked, apiErr := ts.checkWrite(props, nil)
	if apiErr != nil {
		return nil, apiErr
	}
	now := s.now()
	r := ts.create(now, s.writeLag(), checked)
	s.logChange(objectType, r, ChangeCreate, now)
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
	return r.Method + " " + p
}
