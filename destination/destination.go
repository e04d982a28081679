// Package destination is the HubSpot destination: OpenCDC records become
// batched HubSpot creates, updates, upserts and archives.
package destination

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Destination writes records to one HubSpot resource, or, routing, each
// record to the Destination of its own resource (route.go).
type Destination struct {
	sdk.UnimplementedDestination

	config     Config
	clientOpts []hubspot.Option
	now        func() time.Time

	client *hubspot.Client
	// router is set when resource names no one resource: it holds the
	// Destinations of the resources written so far, which share client.
	router *router

	resource   hubspot.Resource
	objects    ObjectWriter
	properties PropertyLister
	// cms writes a CMS resource (URL redirects, blog tags, posts, ...),
	// which is no CRM object: nil for every other resource.
	cms cmsWriter
	// pipelines writes a pipeline resource (pipelines.go); nil for others.
	pipelines *pipelineWriter
	schema    map[string]hubspot.Property
	// uniqueProps are the properties whose values HubSpot keeps unique,
	// the ones it does not declare so first.
	uniqueProps []string
	// schemaStale makes the next unknown property re-read the schema:
	// someone may have added the property since Open.
	schemaStale bool
	// schemaReadAt is when the schema was read, for the age of its
	// options (limits.go).
	schemaReadAt time.Time

	// createdIDs maps the key of a record this run created an object for
	// to the object's id, so that later records with that key reach it.
	createdIDs map[string]string
	// accepted holds the positions of records HubSpot accepted in a batch
	// in which an earlier record failed: Write counted them as not written,
	// so Conduit delivers them again, and they must not be written twice.
	accepted map[string]bool

	// links makes the links records name; routing, every resource's
	// Destination shares the router's.
	links *linker
	// objectIDs are the HubSpot ids of the objects this Write's records
	// wrote, by record index, for their links.
	objectIDs map[int]string
	// linkOnly holds the records whose objects HubSpot wrote and whose
	// links it did not: their next delivery makes only the links.
	linkOnly map[string]linkJob
}

// Option changes how a Destination is built; tests use them.
type Option func(*Destination)

// WithClientOptions adds options to the HubSpot client the destination
// builds, after the ones its configuration sets.
func WithClientOptions(opts ...hubspot.Option) Option {
	return func(d *Destination) { d.clientOpts = append(d.clientOpts, opts...) }
}

// WithClock replaces the wall clock by which links wait for their linked
// objects (associationsWait). Only its Now is read.
func WithClock(clock hubspot.Clock) Option {
	return func(d *Destination) { d.now = clock.Now }
}

// NewDestination returns a destination without the SDK's middleware.
func NewDestination(opts ...Option) *Destination {
	d := &Destination{now: time.Now}
	for _, opt := range opts {
		opt(d)
	}
	return d
}

// New returns the destination wrapped in the SDK's default middleware, as
// Conduit runs it.
func New() sdk.Destination {
	return sdk.DestinationWithMiddleware(NewDestination())
}

// Config returns the configuration the SDK parses into.
func (d *Destination) Config() sdk.DestinationConfig { return &d.config }

// Open reads the account's time zone unless accountTimeZone names it
// (config.OpenClient), and the resource's properties, which also checks the
// token, and checks idProperty against them. A routing destination opens each
// resource when the first record for it comes.
func (d *Destination) Open(ctx context.Context) error {
	router, err := newRouter(d.config.Resource)
	if err != nil {
		return fmt.Errorf("%q: %w", config.KeyResource, err)
	}
	var res hubspot.Resource
	if router == nil {
		if res, err = d.config.HubSpotResource(); err != nil {
			return err
		}
		if err := canWrite(res); err != nil {
			// Configure refuses it too; Open is called without it in
			// tests and by hosts that skip it.
			return fmt.Errorf("%q: %w", config.KeyResource, err)
		}
	}
	client, err := d.config.OpenClient(ctx, d.clientOpts...)
	if err != nil {
		return err
	}
	d.client = client // Teardown closes it, also after a failed Open
	d.links = newLinker(client.Associations, client.Objects, d.config, d.now)
	if router != nil {
		d.router = router
		return d.checkSignIn(ctx)
	}
	return d.openResource(ctx, res, client)
}

// openResource is Open of one resource, with the client that writes it.
func (d *Destination) openResource(ctx context.Context, res hubspot.Resource, client *hubspot.Client) error {
	if res.Kind == hubspot.KindCMSObject {
		return d.openCMSObjects(ctx, res, client.CMSObjects(*res.CMS))
	}
	if res.Kind == hubspot.KindPipelines {
		return d.openPipelines(ctx, res, client.Pipelines)
	}
	return d.open(ctx, res, client.Objects, client.Properties)
}

// open is Open once the client exists; unit tests hand it mocks instead, so
// that they run the same checks as Open.
func (d *Destination) open(ctx context.Context, res hubspot.Resource, objects ObjectWriter, properties PropertyLister) error {
	if err := canUpsert(res, d.config.IDProperty); err != nil {
		return fmt.Errorf("%q: %w", KeyIDProperty, err)
	}
	d.resource, d.objects, d.properties = res, objects, properties
	d.createdIDs, d.accepted, d.linkOnly = map[string]string{}, map[string]bool{}, map[string]linkJob{}
	d.links.register(res.Name, d.createdIDs)
	if err := d.readSchema(ctx); err != nil {
		if hubspot.StatusCode(err) == http.StatusForbidden {
			return fmt.Errorf("the access token lacks the scope to write %s (parameter %q): %w", res.Name, d.config.SignInParam(), err)
		}
		return d.config.Explain(err)
	}
	if id := d.config.IDProperty; id != "" && !slices.Contains(d.uniqueProps, id) {
		if _, defined := d.schema[id]; !defined {
			return config.CheckNames(KeyIDProperty, res.Name+" has no property", []string{id}, slices.Sorted(maps.Keys(d.schema)), 2)
		}
		return fmt.Errorf("%q: %s has no property %q with unique values; upserts need one (such as email for contacts)", KeyIDProperty, res.Name, id)
	}
	return nil
}

func (d *Destination) readSchema(ctx context.Context) error {
	props, err := d.properties.List(ctx, d.resource.Name)
	if err != nil {
		return fmt.Errorf("read the properties of %s: %w", d.resource.Name, err)
	}
	d.schema = make(map[string]hubspot.Property, len(props))
	var declared []string
	for _, p := range props {
		d.schema[p.Name] = p
		if p.HasUniqueValue {
			declared = append(declared, p.Name)
		}
	}
	slices.Sort(declared)
	d.uniqueProps = slices.Concat(d.resource.UniqueProperties, declared)
	d.schemaStale = false
	d.schemaReadAt = d.now()
	return nil
}

// Teardown releases the HTTP connections, and warns of links still
// waiting; it works without Open too.
func (d *Destination) Teardown(ctx context.Context) error {
	d.links.close(ctx)
	if d.client != nil {
		d.client.Close()
	}
	return nil
}

// opKind is the HubSpot call a record becomes.
type opKind int

const (
	opCreate opKind = iota
	opUpsert
	opUpdate
	opDelete
)

func (k opKind) String() string {
	return [...]string{"create", "upsert", "update", "archive"}[k]
}

// op is one input of a HubSpot call: one record, or several upserts of one
// object.
type op struct {
	kind  opKind
	index int    // in the records of Write
	key   string // the HubSpot id, or the idProperty value for upserts and deletes with idProperty
	// recKey is the record's own key, under which a create is remembered.
	recKey string
	props  hubspot.Properties
	// merged are the indices of later records folded into this upsert.
	merged []int
	// uniqueProp and uniqueValue find the object the op writes by a value
	// HubSpot keeps unique: the idProperty, else one the record sets
	// (email for contacts); empty when there is none.
	uniqueProp, uniqueValue string
	// links are the links the record's associations field names, made
	// once the object is written; nil without the field.
	links linkSet
}

// records are the indices of the records the op writes.
func (o op) records() []int { return append([]int{o.index}, o.merged...) }

// Write writes the records; see write. An error of signing in, a refresh
// token revoked while the pipeline runs, names its parameter. Links that
// wait for their linked objects are tried again once this Write's objects
// exist; links that waited longer than associationsWait fail it first,
// before it writes anything.
func (d *Destination) Write(ctx context.Context, recs []opencdc.Record) (int, error) {
	if err := d.links.expired(ctx); err != nil {
		return 0, err
	}
	write := d.writeRun
	if d.router != nil {
		write = d.route
	}
	n, err := write(ctx, recs)
	d.links.retry(ctx, false)
	return n, d.config.Explain(err)
}

// writeRun writes records of this Destination's one resource.
func (d *Destination) writeRun(ctx context.Context, recs []opencdc.Record) (int, error) {
	if d.cms != nil {
		return d.writeCMS(ctx, recs)
	}
	if d.pipelines != nil {
		return d.writePipelines(ctx, recs)
	}
	return d.write(ctx, recs)
}

// write sends the records in batches of one operation each, in order. It
// returns how many records, from the first on, HubSpot accepted, and an
// error naming the first record it did not.
func (d *Destination) write(ctx context.Context, recs []opencdc.Record) (int, error) {
	written := 0
	var pending []op
	d.objectIDs = map[int]string{}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		n, err := d.flush(ctx, recs, pending)
		written += n
		pending = pending[:0]
		return err
	}
	for i, r := range recs {
		if d.accepted[string(r.Position)] {
			if err := flush(); err != nil {
				return written, err
			}
			delete(d.accepted, string(r.Position))
			written++
			continue
		}
		if job, ok := d.linkOnly[string(r.Position)]; ok {
			if err := flush(); err != nil {
				return written, err
			}
			if err := d.links.apply(ctx, d.resource.Name, []linkJob{job}, d.links.replace)[0]; err != nil {
				return written, recordError(i, r, fmt.Errorf("the object was written, but not its links: %w", err))
			}
			delete(d.linkOnly, string(r.Position))
			written++
			continue
		}
		o, err := d.toOp(ctx, i, r)
		if err != nil {
			if ferr := flush(); ferr != nil {
				return written, ferr
			}
			return written, recordError(i, r, err)
		}
		if j := d.sameUpsert(pending, o); j >= 0 {
			pending[j] = pending[j].fold(o, d.config.AssociationsMode == AssociationsReplace) // one object, one input
			continue
		}
		if len(pending) > 0 && (pending[0].kind != o.kind || len(pending) == hubspot.MaxBatchInputs || d.touches(pending, o)) {
			if err := flush(); err != nil {
				return written, err
			}
		}
		if id, ok := d.createdIDs[o.recKey]; ok && (o.kind == opUpdate || (o.kind == opDelete && d.config.IDProperty == "")) {
			o.key = id // an object this run created under that key
		}
		pending = append(pending, o)
	}
	return written, flush()
}

// touches reports whether o writes an object the pending batch writes too:
// then the batch goes first, so that changes to one object keep their order
// and a batch never names one object twice (HubSpot refuses that whole).
func (d *Destination) touches(pending []op, o op) bool {
	for _, p := range pending {
		if (o.key != "" && d.sameKey(p.key, o.key)) || (o.recKey != "" && p.recKey == o.recKey) || d.sameNaturalKey(p, o) {
			return true
		}
	}
	return false
}

// sameNaturalKey reports two creates of one unique value: HubSpot would
// refuse the second, and an answer without trace ids could not tell them
// apart.
func (d *Destination) sameNaturalKey(a, b op) bool {
	if a.kind != opCreate || b.kind != opCreate {
		return false
	}
	return a.uniqueProp != "" && a.uniqueProp == b.uniqueProp && d.sameValue(a.uniqueProp, a.uniqueValue, b.uniqueValue)
}

// sameUpsert finds the pending upsert of the object o upserts too, when
// nothing else in the batch writes it; -1 when there is none.
func (d *Destination) sameUpsert(pending []op, o op) int {
	if o.kind != opUpsert {
		return -1
	}
	found := -1
	for j, p := range pending {
		switch {
		case p.kind == opUpsert && d.sameKey(p.key, o.key):
			found = j
		case o.recKey != "" && p.recKey == o.recKey:
			return -1
		}
	}
	return found
}

// fold returns the upsert o with a later upsert of the same object folded
// in: its values win, as they would if sent after.
func (o op) fold(later op, replace bool) op {
	props := maps.Clone(o.props)
	maps.Copy(props, later.props)
	o.props = props
	o.merged = append(slices.Clone(o.merged), later.records()...)
	o.links = o.links.merge(later.links, replace)
	return o
}

// sameKey compares keys as HubSpot does: an upsert on email folds case.
func (d *Destination) sameKey(a, b string) bool {
	return d.sameValue(d.config.IDProperty, a, b)
}

// RecordError is the error of one record of a Write: its index in the
// records written, its position and key, and why.
type RecordError struct {
	Index  int
	Record opencdc.Record
	Err    error
}

func (e *RecordError) Error() string {
	key := "none"
	if e.Record.Key != nil {
		key = string(e.Record.Key.Bytes())
	}
	return fmt.Sprintf("record %d (position %s, key %s): %v", e.Index, e.Record.Position, key, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

func recordError(i int, r opencdc.Record, err error) error {
	return &RecordError{Index: i, Record: r, Err: err}
}

// toOp reads what a record asks of HubSpot.
func (d *Destination) toOp(ctx context.Context, i int, r opencdc.Record) (op, error) {
	recKey, err := d.recordKeyOf(r)
	if err != nil {
		return op{}, err
	}
	o := op{index: i, recKey: recKey, key: recKey}
	idProp := d.config.IDProperty
	switch r.Operation {
	case opencdc.OperationCreate, opencdc.OperationSnapshot, opencdc.OperationUpdate:
		data, err := recordData(r.Payload.After)
		if err != nil {
			return op{}, err
		}
		if o.links, err = d.readLinks(ctx, data); err != nil {
			return op{}, err
		}
		if o.props, err = d.convert(ctx, propertiesOf(data)); err != nil {
			return op{}, err
		}
		switch {
		case idProp != "":
			o.kind = opUpsert
			if v, ok := o.props.Get(idProp); ok && v != "" {
				o.key = v
			} else {
				// A null or empty id value would clear the key HubSpot
				// finds the object by; the key, when it says so, names
				// the object (idvalue.go).
				delete(o.props, idProp)
				if o.key, err = d.keyIDValue(r, "the payload"); err != nil {
					return op{}, err
				}
			}
		case r.Operation == opencdc.OperationUpdate:
			o.kind = opUpdate
		default:
			o.kind = opCreate
			o.key = "" // HubSpot gives the id
		}
	case opencdc.OperationDelete:
		o.kind = opDelete
		if idProp != "" {
			data, err := recordData(r.Payload.Before)
			if err != nil {
				return op{}, err
			}
			// The value as an upsert writes it: a number or other
			// scalar of a typed source too.
			if v, err := keyString(propertiesOf(data)[idProp]); err == nil && v != "" {
				o.key = v
			} else if o.key, err = d.keyIDValue(r, "the before image"); err != nil {
				return op{}, err
			}
		}
	default:
		return op{}, fmt.Errorf("operation %q is not one the destination writes", r.Operation)
	}
	if err := canDo(d.resource, o.kind); err != nil {
		return op{}, err
	}
	if o.kind != opCreate && o.key == "" {
		return op{}, fmt.Errorf("a record of operation %s needs the object's id in its key", r.Operation)
	}
	o.uniqueProp, o.uniqueValue = d.uniqueValueOf(o)
	return o, nil
}

// convert turns payload properties into HubSpot values, checking them
// against the resource's properties.
func (d *Destination) convert(ctx context.Context, in map[string]any) (hubspot.Properties, error) {
	unknown := d.unknown(in)
	if len(unknown) > 0 && d.schemaStale {
		if err := d.readSchema(ctx); err != nil {
			return nil, err
		}
		unknown = d.unknown(in)
	}
	if len(unknown) > 0 {
		d.schemaStale = true // read it again before the next verdict
		return nil, fmt.Errorf("%s has no properties %s", d.resource.Name, strings.Join(unknown, ", "))
	}
	out := make(hubspot.Properties, len(in))
	var readOnly []string
	for name, v := range in {
		p := d.schema[name]
		if p.ReadOnly() {
			readOnly = append(readOnly, name)
			continue
		}
		s, err := formatValue(p, v)
		if err == nil {
			err = d.checkValueNow(ctx, p, s)
		}
		if err != nil {
			return nil, fmt.Errorf("property %q: %w (the value: %s)", name, err, quoteValue(v))
		}
		out[name] = &s
	}
	if len(readOnly) > 0 {
		slices.Sort(readOnly)
		if d.config.ReadOnlyProperties == ReadOnlyFail {
			return nil, fmt.Errorf("sets read-only properties %s, which HubSpot computes itself (readOnlyProperties: skip leaves them out)", strings.Join(readOnly, ", "))
		}
		sdk.Logger(ctx).Debug().Strs("properties", readOnly).Msg("left out read-only properties")
	}
	return out, nil
}

func (d *Destination) unknown(in map[string]any) []string {
	var out []string
	for name := range in {
		if _, ok := d.schema[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
