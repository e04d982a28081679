package destination

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// The CMS resources of hubspot.CMSObjectsService (URL redirects, blog
// tags, posts and authors, landing and site pages, HubDB tables): a record's payload is the object's JSON fields,
// by the resource's spec; a nested field (widgets, tagIds, ...) may be a
// JSON value or its JSON text, as the source emits it. HubSpot has batch
// calls for them (https://developers.hubspot.com/docs/api-reference/latest/cms/blogs/posts/batch/delete-posts):
// runs of creates, updates or deletes go in one call each (cmsbatch.go); a
// batch HubSpot refuses is written again one record at a time, so that a
// bad record fails alone.

// CMSObjectWriter is what the destination needs of
// hubspot.CMSObjectsService.
type CMSObjectWriter interface {
	Spec() hubspot.CMSSpec
	List(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error)
	Create(ctx context.Context, in hubspot.CMSObject) (*hubspot.CMSObject, error)
	Update(ctx context.Context, id string, in hubspot.CMSObject) (*hubspot.CMSObject, error)
	Delete(ctx context.Context, id string) error
	BatchCreate(ctx context.Context, ins []hubspot.CMSObject) ([]hubspot.CMSObject, error)
	BatchUpdate(ctx context.Context, ins []hubspot.CMSObject) ([]hubspot.CMSObject, error)
	BatchArchive(ctx context.Context, ids []string) error
	FindByKey(ctx context.Context, key []string, since time.Time) (*hubspot.CMSObject, error)
	ListDrafts(ctx context.Context, opts hubspot.CMSListOptions) (*hubspot.CMSObjectPage, error)
	Publish(ctx context.Context, id string) (*hubspot.CMSObject, error)
}

var _ CMSObjectWriter = (*hubspot.CMSObjectsService)(nil)

// cmsObjectWriter writes one spec's objects: singly as every CMS resource
// (cms.go), and in batches.
type cmsObjectWriter struct {
	cmsResource[hubspot.CMSObject, hubspot.CMSObject]
	w    CMSObjectWriter
	spec hubspot.CMSSpec
}

// newCMSObjectWriter returns the writer of w's resource. Of a Drafts
// resource (HubDB tables), with publish each create and update is
// followed by a publish of the draft, so that HubSpot serves what the
// record says; without it the changes stay in the draft. Of a ByKey
// resource, an update or delete whose payload holds the key addresses the
// object by it, so that the records of another account (whose ids mean
// nothing here) reach their objects, also after a restart.
func newCMSObjectWriter(w CMSObjectWriter, publish bool) cmsObjectWriter {
	spec := w.Spec()
	c := cmsObjectWriter{w: w, spec: spec, cmsResource: cmsResource[hubspot.CMSObject, hubspot.CMSObject]{
		name: spec.Noun, short: spec.Short, keyField: spec.Key[0],
		keyOf:      func(in hubspot.CMSObject) string { return in.Text(spec.Key[0]) },
		input:      func(p opencdc.Data) (hubspot.CMSObject, error) { return cmsObjectInput(spec, p) },
		id:         hubspot.CMSObject.ID,
		matches:    hubspot.CMSObject.Matches,
		createCall: w.Create, updateCall: w.Update, deleteCall: w.Delete,
		find: func(ctx context.Context, in hubspot.CMSObject, since time.Time) (*hubspot.CMSObject, error) {
			return w.FindByKey(ctx, spec.KeyOf(in), since)
		},
	}}
	if spec.ByKey {
		c.target = func(in hubspot.CMSObject) string { return in.Text(spec.Key[0]) }
	}
	if spec.Drafts && publish {
		c.written = func(ctx context.Context, id string) error {
			_, err := w.Publish(ctx, id)
			return err
		}
	}
	return c
}

// openCMSObjects is Open for a CMSObjectsService resource; of a Drafts
// resource the check lists the drafts, which every object has.
func openCMSObjects(ctx context.Context, cfg Config, res hubspot.Resource, w CMSObjectWriter) (*cmsRecordWriter, error) {
	list := w.List
	if res.CMS.Drafts {
		list = w.ListDrafts
	}
	return openCMS(ctx, cfg, res, newCMSObjectWriter(w, cfg.HubDBPublish), func(ctx context.Context, o hubspot.CMSListOptions) error {
		_, err := list(ctx, o)
		return err
	})
}

// inputs parses payloads up to the first bad one: the inputs before it,
// and its error (nil when all parse).
func (c cmsObjectWriter) inputs(payloads []opencdc.Data, withKey bool) ([]hubspot.CMSObject, error) {
	ins := make([]hubspot.CMSObject, 0, len(payloads))
	for _, p := range payloads {
		in, err := c.input(p)
		if err == nil && withKey && c.keyOf(in) == "" {
			err = fmt.Errorf("a %s needs a %s", c.name, c.keyField)
		}
		if err != nil {
			return ins, err
		}
		ins = append(ins, in)
	}
	return ins, nil
}

// batches says whether the resource's batch calls are used: written
// (publish) follows the single calls, so a resource with both writes
// singly.
func (c cmsObjectWriter) batches() bool { return c.spec.Batch && c.written == nil }

func (c cmsObjectWriter) createBatch(ctx context.Context, payloads []opencdc.Data) ([]string, int, error) {
	ins, perr := c.inputs(payloads, true)
	ids, err := c.createAll(ctx, ins)
	if err != nil {
		return ids, len(ids), err
	}
	return ids, len(ids), perr
}

// createAll creates ins in one call, and returns the ids of those written,
// in order, and the error of the next. A refused batch is created again
// one by one; one whose answer was lost is looked up by natural key first,
// so that nothing is created twice.
func (c cmsObjectWriter) createAll(ctx context.Context, ins []hubspot.CMSObject) ([]string, error) {
	if len(ins) < 2 {
		return c.eachCreate(ctx, ins, time.Time{}, nil)
	}
	sent := time.Now()
	res, err := c.w.BatchCreate(ctx, ins)
	if err == nil {
		if ids, ok := c.match(ins, res); ok {
			return ids, nil
		}
		err = fmt.Errorf("HubSpot's answer to a batch create does not name every %s", c.name)
	}
	switch {
	case refusedWhole(err) || hubspot.StatusCode(err) == http.StatusNotFound:
		return c.eachCreate(ctx, ins, time.Time{}, nil)
	case mayHaveApplied(err):
		return c.eachCreate(ctx, ins, sent.Add(-lostCreateSkew), err)
	}
	return nil, err
}

// eachCreate creates ins one by one; with cause set (a batch's lost
// answer), each is looked up first.
func (c cmsObjectWriter) eachCreate(ctx context.Context, ins []hubspot.CMSObject, since time.Time, cause error) ([]string, error) {
	ids := make([]string, 0, len(ins))
	for _, in := range ins {
		id := ""
		var err error
		if cause != nil {
			id, err = c.existing(ctx, in, since, cause)
		}
		if id == "" && err == nil {
			id, err = c.createInput(ctx, in)
		}
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// match finds each input's id among a batch create's results, by natural
// key: HubSpot does not promise their order.
func (c cmsObjectWriter) match(ins, res []hubspot.CMSObject) ([]string, bool) {
	byKey := map[string]string{}
	for _, o := range res {
		byKey[strings.Join(c.spec.KeyOf(o), "\x00")] = o.ID()
	}
	ids := make([]string, len(ins))
	for i, in := range ins {
		id, ok := byKey[strings.Join(c.spec.KeyOf(in), "\x00")]
		if !ok {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

func (c cmsObjectWriter) updateBatch(ctx context.Context, ids []string, payloads []opencdc.Data) (int, error) {
	ins, perr := c.inputs(payloads, false)
	batch := make([]hubspot.CMSObject, len(ins))
	for i, in := range ins {
		batch[i] = hubspot.CMSObject{"id": json.RawMessage(strconv.Quote(ids[i]))}
		for k, v := range in {
			batch[i][k] = v
		}
	}
	n, err := c.each(len(batch), func() error {
		_, err := c.w.BatchUpdate(ctx, batch)
		return err
	}, func(i int) error {
		_, err := c.updateCall(ctx, ids[i], ins[i])
		return err
	})
	if err != nil {
		return n, err
	}
	return n, perr
}

func (c cmsObjectWriter) deleteBatch(ctx context.Context, ids []string) (int, error) {
	return c.each(len(ids), func() error { return c.w.BatchArchive(ctx, ids) },
		func(i int) error { return c.delete(ctx, ids[i], nil) })
}

// each makes the batch call of n records, and when HubSpot refused it or
// may have applied it, the single calls in order (updates and deletes may
// be sent again). It returns how many were written, and the next one's
// error.
func (c cmsObjectWriter) each(n int, batch func() error, single func(i int) error) (int, error) {
	if n == 0 {
		return 0, nil
	}
	err := batch()
	switch {
	case err == nil:
		return n, nil
	case !singly(err):
		return 0, err
	}
	for i := range n {
		if err := single(i); err != nil {
			return i, err
		}
	}
	return n, nil
}

// cmsComputed are the fields HubSpot sets itself, besides the spec's
// read-only ones.
var cmsComputed = []string{"id", "created", "updated", "createdAt", "updatedAt", "archivedAt", "deletedAt"}

// cmsObjectInput reads a payload's fields by the spec's kinds. A null
// leaves a field out, as an update that does not name it; computed and
// read-only fields are skipped; any other name is an error that lists the
// fields.
func cmsObjectInput(spec hubspot.CMSSpec, payload opencdc.Data) (hubspot.CMSObject, error) {
	data, err := recordData(payload)
	if err != nil {
		return nil, err
	}
	in := hubspot.CMSObject{}
	var unknown []string
	for name, v := range data {
		f, ok := spec.Field(name)
		switch {
		case v == nil || slices.Contains(cmsComputed, name) || (ok && f.ReadOnly):
			continue
		case !ok:
			unknown = append(unknown, name)
			continue
		}
		raw, err := cmsJSON(f.Kind, v)
		if err == nil && f.Keep != nil {
			raw, err = keepFields(raw, f.Keep)
		}
		if err != nil {
			return nil, fmt.Errorf("field %q: %w (the value: %s)", name, err, quoteValue(v))
		}
		in[name] = raw
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		var names []string
		for _, f := range spec.Fields {
			if !f.ReadOnly {
				names = append(names, f.Name)
			}
		}
		return nil, fmt.Errorf("a %s has no fields %s; it has %s", spec.Noun, strings.Join(unknown, ", "), strings.Join(names, ", "))
	}
	return in, nil
}

// cmsJSON is a value as the JSON of a field of a kind.
func cmsJSON(kind hubspot.FieldKind, v any) (json.RawMessage, error) {
	switch kind {
	case hubspot.FieldInteger:
		n, err := wholeNumber(v, 64)
		if err != nil {
			return nil, err
		}
		return json.RawMessage(strconv.FormatInt(n, 10)), nil
	case hubspot.FieldBool:
		b, err := boolValue(v)
		if err != nil {
			return nil, err
		}
		return json.RawMessage(strconv.FormatBool(b)), nil
	case hubspot.FieldTime:
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339Nano)
		}
	case hubspot.FieldJSON:
		if s, ok := v.(string); ok {
			if err := checkText(s); err != nil {
				return nil, err
			}
			if !json.Valid([]byte(s)) {
				return nil, fmt.Errorf("want JSON text or a structured value")
			}
			return json.RawMessage(s), nil
		}
		if err := checkTree(v); err != nil {
			return nil, err
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("want a JSON value: %w", err)
		}
		return raw, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("a %T cannot be a text field", v)
	}
	if err := checkText(s); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return raw, nil
}
