package hubspottest

import (
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// limits are the rate limits the server enforces; zero requests is off.
type limits struct {
	burst        int
	window       time.Duration
	daily        int
	search       int
	searchWindow time.Duration
	// searchPerToken counts the search limit for each token apart instead
	// of for the account.
	searchPerToken bool
	// oauthBurst is each OAuth app's limit in window.
	oauthBurst int
	// retryAfter adds a Retry-After header to the 429s of the burst and
	// search limits.
	retryAfter bool
}

// Option configures a Server.
type Option func(*config)

type config struct {
	addr                 string
	token                string
	clock                hubspot.Clock
	lag                  time.Duration
	skew                 time.Duration
	limits               limits
	seed                 uint64
	seeded               bool
	customs              []customType
	lazy                 map[string]lazyObjects
	rollout              rollout
	portalID             int64
	late                 lateIndex
	short                float64
	mergeKeepsPrimaryID  bool
	ownerArchiveTouches  bool
	oauthApps            []oauthAppConfig
	tokenLifetime        time.Duration
	rotateRefresh        bool
	catalog              catalogConfig
	assocBumps           bool
	numberedRetired      bool
	timeZone             string
	missingScopes        []string
	cmsSort              CMSSort
	archiveMovesUpdated  bool
	redirectTimesAt      bool
	searchBodyLimit      int
	archivedPipelines    bool
	deletedListsInSearch bool
}

// catalogConfig is what WithFullPropertyCatalog, WithSparseValues, WithUnparsableValues
// and WithEpochMillisDates set.
type catalogConfig struct {
	full            bool
	sparse          bool
	unparsableEvery int
	epochMillis     bool
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

// WithClock sets the time source (default: the wall clock), such as a
// ManualClock a client shares. Only its Now is read. Times are kept to the
// millisecond, as HubSpot keeps them.
func WithClock(clock hubspot.Clock) Option { return func(c *config) { c.clock = clock } }

// WithIndexLag sets how long a write takes to reach search (default 0):
// until then search misses a new object, or shows a changed one's old values.
func WithIndexLag(lag time.Duration) Option { return func(c *config) { c.lag = lag } }

// WithClockSkew sets HubSpot's clock skew behind the clock of WithClock
// (default 0): the simulator stamps its changes, and dates its answers,
// skew earlier than the time its clients read, as a HubSpot whose clock
// runs behind the connector's machine would.
func WithClockSkew(skew time.Duration) Option { return func(c *config) { c.skew = skew } }

// lateIndex makes a share of the writes reach search later than the rest.
type lateIndex struct {
	fraction float64
	lag      time.Duration
}

// WithLateIndexing makes a fixed-seed share (0 to 1) of the writes reach
// search only after lag instead of the index lag of WithIndexLag. HubSpot
// documents no bound on the lag (docs/hubspot.md, "Search"); this
// models a few changes far later than the rest, as users of other
// connectors lost to it (airbytehq/airbyte#69203), off by default. The draws follow WithRandomSeed.
func WithLateIndexing(fraction float64, lag time.Duration) Option {
	return func(c *config) { c.late = lateIndex{fraction: fraction, lag: lag} }
}

// WithShortPages makes a fixed-seed share (0 to 1) of search pages hold
// fewer results than the limit asked for, while paging.next still offers
// the rest, as HubSpot's search does at times (docs/hubspot.md, "Search":
// whether more results exist is told by paging.next, never by the page's
// length). It is
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

// WithOwnerArchiveMovingUpdatedAt makes deactivating and reactivating an
// owner move its updatedAt, as the simulator did before; by default they
// leave it, since no document says they move it (see ArchiveOwner).
func WithOwnerArchiveMovingUpdatedAt() Option {
	return func(c *config) { c.ownerArchiveTouches = true }
}

// WithNumberedPathsRetired makes every numbered path (/crm/v3/...,
// /crm/v4/...) answer as HubSpot will once it no longer serves them (v4
// from 30 March 2027, v1 to v3 from September 2027): the date versions
// serve as before (versions.go).
func WithNumberedPathsRetired() Option { return func(c *config) { c.numberedRetired = true } }

// WithRateLimit sets the rolling-window limit of the private app (default
// 190 per 10 s, HubSpot's Professional and Enterprise tiers); 0 requests
// turns it off. The window is each OAuth app's too (WithOAuthRateLimit).
func WithRateLimit(requests int, window time.Duration) Option {
	return func(c *config) { c.limits.burst, c.limits.window = requests, window }
}

// WithDailyLimit sets the requests allowed per day (default 1,000,000),
// a day in the account's time zone (WithAccountTimeZone); 0 turns it off.
func WithDailyLimit(requests int) Option { return func(c *config) { c.limits.daily = requests } }

// WithSearchRateLimit sets the search requests allowed per second (default
// 5, HubSpot's search guide: "five requests per second per account",
// developers.hubspot.com/docs/api-reference/search/guide); 0 turns it off.
// Every token of the account shares it (one simulator is one account),
// unless WithSearchLimitPerToken. A search over it gets a 429 with
// policyName SECONDLY.
func WithSearchRateLimit(perSecond int) Option {
	return func(c *config) { c.limits.search, c.limits.searchWindow = perSecond, time.Second }
}

// WithSearchLimitPerToken counts the search limit for each bearer token
// apart (the private app's, each OAuth access token), as HubSpot's
// changelog put it: "four requests per second and per authentication
// token" (developers.hubspot.com/changelog/crm-search-api-rate-limit-increase).
// By default the account's tokens share one limit, as HubSpot's search
// guide says now ("per account"). The two documents disagree; a client
// must cope with both. Under this option an OAuth app's renewed access
// token starts a count of its own: HubSpot does not say what counts as
// the token then (a guess).
func WithSearchLimitPerToken() Option {
	return func(c *config) { c.limits.searchPerToken = true }
}

// WithRetryAfter makes the 429s of the burst and search limits carry a
// Retry-After header: the seconds until the window frees a slot. HubSpot
// sends one sometimes, and often not (docs/hubspot.md, "Rate limits"), so
// by default the simulator sends none.
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

// WithLazyObjects makes the list of objectType serve n objects (ids 1 to
// n, created an hour before the server started) whose properties props
// makes as they are listed, so that a snapshot of millions of objects costs
// the simulator no memory: they are never stored, and only the list
// endpoint serves them. What the objects hold is the caller's (the bench's
// made-up contacts); the simulator only serves them.
func WithLazyObjects(objectType string, n int, props func(i int) map[string]string) Option {
	return func(c *config) {
		if c.lazy == nil {
			c.lazy = map[string]lazyObjects{}
		}
		c.lazy[objectType] = lazyObjects{n: n, props: props}
	}
}

// lazyObjects are the objects of a type that a list makes as it serves them.
type lazyObjects struct {
	n     int
	props func(i int) map[string]string
}

// WithoutWriteTraceIDs answers batch creates and upserts as older rollouts
// of v3 do: without objectWriteTraceId on results and errors
// (docs/hubspot.md, "Batches"), so that a writer must match results to
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
// upserts likewise, a guess (docs/hubspot.md, "Batches"). Batch updates
// stay per input: no source says otherwise.
func WithPartialContactBatches() Option {
	return func(c *config) { c.rollout.partialContactBatches = true }
}

// WithFullPropertyCatalog gives the standard types as many properties as
// a HubSpot account has, of every type and field type, with options for
// the enumerations (catalog.go): about 600 for contacts, 250 for
// companies, 200 for deals, 150 for tickets and 75 for the others. Seed
// (with nil props) and WithLazyObjects then give their objects values of
// every type (values.go); the caller's own values win. Off by default: the
// small default set is what most tests read.
func WithFullPropertyCatalog() Option { return func(c *config) { c.catalog.full = true } }

// WithSparseValues leaves the catalogue's values off generated objects,
// with WithFullPropertyCatalog: they hold the caller's values (or the
// default set's) and every other property reads as null, as most of an
// account's properties are empty on most of its records. It is for tests
// whose subject is the catalogue's size (a search body of every name)
// rather than its values, at a fraction of their cost. That most
// properties are empty on most records is a guess (no HubSpot document
// gives a share); that a property asked for and not set reads as null
// follows the CRM objects spec's examples, which the default set already
// models.
func WithSparseValues() Option { return func(c *config) { c.catalog.sparse = true } }

// WithUnparsableValues makes about one in every n values that the full
// catalogue gives generated objects not parse as the property's type, as
// imported data may hold: a number "12,5" or "n/a", a datetime
// "yesterday", a bool "yes", an enumeration value that is no option. The
// choice is fixed by the object and the property. It needs
// WithFullPropertyCatalog; n <= 0 turns it off.
func WithUnparsableValues(n int) Option { return func(c *config) { c.catalog.unparsableEvery = n } }

// WithEpochMillisDates makes about one in ten of the full catalogue's date
// and datetime properties (a fixed choice by name) hold their values on
// generated objects as epoch milliseconds ("1653696000000") instead of ISO
// 8601, as HubSpot answered for some properties, such as line items'
// hs_recurring_billing_end_date, a date property
// (https://github.com/airbytehq/airbyte/pull/10576). HubSpot's docs say
// values are ISO 8601 (docs/hubspot.md, "CRM objects") and do not document which
// properties answer otherwise, so it is off by default. It needs
// WithFullPropertyCatalog.
func WithEpochMillisDates() Option { return func(c *config) { c.catalog.epochMillis = true } }

// WithAssociationsBumpModified makes a change of links (associate,
// create, archive, labels archive, and a merge moving links) update the
// objects at both ends: their last-modified property and updatedAt move
// to the change's time, search sees the new version, and the change log
// has an update. By default a link change leaves both objects as they
// are, as peers report HubSpot does: links created after an incremental
// sync are not picked up unless the object itself is modified again
// (https://github.com/airbytehq/airbyte/issues/44554,
// https://github.com/airbytehq/airbyte/issues/27199). HubSpot's docs do
// not say, and objects with rollup properties (a company's
// num_associated_contacts) may change when links do, so a reader must
// work both ways (docs/associations.md, "Last-modified").
func WithAssociationsBumpModified(bump bool) Option {
	return func(c *config) { c.assocBumps = bump }
}
