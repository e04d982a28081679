package destination

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// The CMS resources are JSON objects, not property bags, written in order,
// one per call or in batches of one operation (cmsbatch.go), which keeps
// the order of changes to one object. A record's payload is the object's JSON
// fields; its key holds the object's id for updates and deletes. A create
// whose answer was lost is looked up by the resource's natural key before
// it is sent again.

// cmsWriter writes the records of one CMS resource.
type cmsWriter interface {
	create(ctx context.Context, payload opencdc.Data) (id string, err error)
	update(ctx context.Context, id string, payload opencdc.Data) error
	// delete deletes the object of id; payload is the record's before
	// image, which may name it otherwise (target).
	delete(ctx context.Context, id string, payload opencdc.Data) error
	noun() string // short: "redirect"
}

// cmsResource is a CMS resource's calls and fields: In is a create or
// update body, Obj the object HubSpot answers with.
type cmsResource[In, Obj any] struct {
	name  string // "URL redirect"
	short string // "redirect"
	// keyField names the natural key, keyOf reads it from an input ("" if
	// the input has none).
	keyField string
	keyOf    func(In) string
	input    func(opencdc.Data) (In, error)
	id       func(Obj) string
	matches  func(In, Obj) bool

	createCall func(context.Context, In) (*Obj, error)
	updateCall func(context.Context, string, In) (*Obj, error)
	deleteCall func(context.Context, string) error
	// find returns the live object of in's natural key created at or after
	// since (any time when zero), or nil.
	find func(ctx context.Context, in In, since time.Time) (*Obj, error)
	// target, when set, is the key an update or delete addresses the
	// object by when in has one, in place of the record key's id: HubDB's
	// paths take a table's name, unique and fixed, which holds across
	// accounts and restarts as another account's ids do not.
	target func(in In) string
	// written, when set, follows each create or update that landed, with
	// the object's id: HubDB's publish. It must be harmless to repeat, as
	// a record that fails after its write is delivered again.
	written func(ctx context.Context, id string) error
}

func (c cmsResource[In, Obj]) noun() string { return c.short }

// done runs written, if any, after the write of the object id.
func (c cmsResource[In, Obj]) done(ctx context.Context, id string) error {
	if c.written == nil {
		return nil
	}
	return c.written(ctx, id)
}

func (c cmsResource[In, Obj]) update(ctx context.Context, id string, payload opencdc.Data) error {
	in, err := c.input(payload)
	if err != nil {
		return err
	}
	updated, err := c.updateCall(ctx, c.targetOf(in, id), in)
	if err != nil {
		return err
	}
	return c.done(ctx, c.id(*updated))
}

// targetOf is what an update or delete of in addresses: its target, or
// id.
func (c cmsResource[In, Obj]) targetOf(in In, id string) string {
	if c.target != nil {
		if t := c.target(in); t != "" {
			return t
		}
	}
	return id
}

func (c cmsResource[In, Obj]) delete(ctx context.Context, id string, payload opencdc.Data) error {
	if c.target != nil && payload != nil {
		// A before image that does not read as the object's fields
		// leaves the key's id: a delete needs nothing else.
		if in, err := c.input(payload); err == nil {
			id = c.targetOf(in, id)
		}
	}
	err := c.deleteCall(ctx, id)
	if hubspot.IsNotFound(err) {
		// Deleted already: a delete delivered again, or one whose answer
		// was lost.
		sdk.Logger(ctx).Debug().Str("id", id).Msgf("the %s to delete is gone already", c.name)
		return nil
	}
	return err
}

// create creates an object, never twice. A create whose answer was lost (a
// 5xx, or a connection that failed once the request was sent) is looked up
// by its natural key before it is sent again; a create refused because its
// key is taken (409) counts as written when the object there holds every
// value sent (an earlier delivery wrote it).
func (c cmsResource[In, Obj]) create(ctx context.Context, payload opencdc.Data) (string, error) {
	in, err := c.input(payload)
	if err != nil {
		return "", err
	}
	id, err := c.createInput(ctx, in)
	if err != nil {
		return "", err
	}
	return id, c.done(ctx, id)
}

// createInput is create of a parsed input.
func (c cmsResource[In, Obj]) createInput(ctx context.Context, in In) (string, error) {
	key := c.keyOf(in)
	if key == "" {
		return "", fmt.Errorf("a %s needs a %s", c.name, c.keyField)
	}
	for lost := 0; ; lost++ {
		sent := time.Now()
		created, err := c.createCall(ctx, in)
		switch {
		case err == nil:
			return c.id(*created), nil
		case hubspot.StatusCode(err) == http.StatusConflict:
			return c.existing(ctx, in, time.Time{}, err)
		case !mayHaveApplied(err):
			return "", err
		}
		sdk.Logger(ctx).Warn().Err(err).Str(c.keyField, key).
			Msgf("HubSpot's answer to a %s create was lost; looking it up by its %s", c.name, c.keyField)
		found, ferr := c.existing(ctx, in, sent.Add(-lostCreateSkew), err)
		if found != "" || ferr != nil {
			return found, ferr
		}
		// Not created: send it again, unless that was the last try (the
		// lookup above came first, so a create HubSpot applied is never
		// reported failed).
		if lost == maxLostCMSCreates-1 {
			return "", fmt.Errorf("HubSpot's answers to %d creates of it were lost, and it does not exist: %w", lost+1, err)
		}
	}
}

// existing finds the id of the live object of in's natural key, created at
// or after since (any time when zero). One that holds every value of in is
// what the create wrote; one with other values is an error; none is "",
// nil. cause is the create's error, which the errors quote.
func (c cmsResource[In, Obj]) existing(ctx context.Context, in In, since time.Time, cause error) (string, error) {
	key := c.keyOf(in)
	found, err := c.find(ctx, in, since)
	switch {
	case err != nil:
		return "", fmt.Errorf("look up the %s of %s %q (the create failed: %w): %w", c.name, c.keyField, key, cause, err)
	case found == nil && hubspot.StatusCode(cause) == http.StatusConflict:
		return "", cause
	case found == nil:
		return "", nil
	case !c.matches(in, *found):
		return "", fmt.Errorf("the %s of %s %q (id %s) exists with other values: the create did not write it: %w",
			c.name, c.keyField, key, c.id(*found), cause)
	}
	return c.id(*found), nil
}
