package destination

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// The URL redirects resource (cms.urlRedirects): HubSpot writes a redirect
// per call (https://developers.hubspot.com/docs/api/cms/url-redirects has no
// batch calls), so records are written one by one, in order, which keeps the
// order of changes to one redirect. A record's payload is the redirect's
// JSON fields (routePrefix, destination, redirectStyle, ...); its key holds
// the redirect's id for updates and deletes.

// RedirectWriter is what the destination needs of
// hubspot.URLRedirectsService.
type RedirectWriter interface {
	List(ctx context.Context, opts hubspot.URLRedirectListOptions) (*hubspot.URLRedirectPage, error)
	Create(ctx context.Context, in hubspot.URLRedirectInput) (*hubspot.URLRedirect, error)
	Update(ctx context.Context, id string, in hubspot.URLRedirectInput) (*hubspot.URLRedirect, error)
	Delete(ctx context.Context, id string) error
	FindByRoutePrefix(ctx context.Context, routePrefix string, since time.Time) (*hubspot.URLRedirect, error)
}

var _ RedirectWriter = (*hubspot.URLRedirectsService)(nil)

const (
	// maxLostRedirectCreates is how many creates of one redirect may lose
	// their answers, each followed by a look-up that finds nothing, before
	// the record fails.
	maxLostRedirectCreates = 3
	// lostCreateSkew is how far before a create the look-up of a lost
	// answer starts reading, for the clocks of this machine and HubSpot.
	lostCreateSkew = 5 * time.Minute
)

// openRedirects is Open for the URL redirects: one small list call checks
// the token and its scope (content).
func (d *Destination) openRedirects(ctx context.Context, res hubspot.Resource, redirects RedirectWriter) error {
	d.resource, d.redirects = res, redirects
	d.createdIDs = map[string]string{}
	if _, err := redirects.List(ctx, hubspot.URLRedirectListOptions{Limit: 1}); err != nil {
		if hubspot.StatusCode(err) == http.StatusForbidden {
			return fmt.Errorf("the access token lacks the scope to write %s (HubSpot's content scope; parameter %q): %w", res.DisplayName(), d.config.SignInParam(), err)
		}
		return d.config.ExplainSignIn(err)
	}
	return nil
}

// writeRedirects writes the records one by one, in order. It returns how
// many HubSpot accepted, from the first on, and an error naming the first
// record it did not; the records after it are not sent, so Conduit delivers
// them again.
func (d *Destination) writeRedirects(ctx context.Context, recs []opencdc.Record) (int, error) {
	for i, r := range recs {
		if err := d.writeRedirect(ctx, r); err != nil {
			return i, recordError(i, r, err)
		}
	}
	return len(recs), nil
}

func (d *Destination) writeRedirect(ctx context.Context, r opencdc.Record) error {
	recKey, err := recordKey(r.Key)
	if err != nil {
		return err
	}
	id := recKey
	if created, ok := d.createdIDs[recKey]; ok && recKey != "" {
		id = created // a redirect this run created under that key
	}
	switch r.Operation {
	case opencdc.OperationCreate, opencdc.OperationSnapshot:
		in, err := redirectInput(r.Payload.After)
		if err != nil {
			return err
		}
		created, err := d.createRedirect(ctx, in)
		if err != nil {
			return err
		}
		if recKey != "" {
			d.createdIDs[recKey] = created.ID
		}
		return nil
	case opencdc.OperationUpdate:
		if id == "" {
			return fmt.Errorf("a record of operation %s needs the redirect's id in its key", r.Operation)
		}
		in, err := redirectInput(r.Payload.After)
		if err != nil {
			return err
		}
		_, err = d.redirects.Update(ctx, id, in)
		return err
	case opencdc.OperationDelete:
		if id == "" {
			return fmt.Errorf("a record of operation %s needs the redirect's id in its key", r.Operation)
		}
		err := d.redirects.Delete(ctx, id)
		if hubspot.IsNotFound(err) {
			// Deleted already: a delete delivered again, or one whose
			// answer was lost.
			sdk.Logger(ctx).Debug().Str("id", id).Msg("the URL redirect to delete is gone already")
			return nil
		}
		return err
	default:
		return fmt.Errorf("operation %q is not one the destination writes", r.Operation)
	}
}

// createRedirect creates a redirect, never twice. A create whose answer was
// lost (a 5xx, or a connection that failed once the request was sent) is
// looked up by its routePrefix, which HubSpot keeps unique, before it is
// sent again; a create refused because its routePrefix is taken counts as
// written when the redirect there holds every value sent (an earlier
// delivery wrote it).
func (d *Destination) createRedirect(ctx context.Context, in hubspot.URLRedirectInput) (*hubspot.URLRedirect, error) {
	if in.RoutePrefix == nil || *in.RoutePrefix == "" {
		return nil, fmt.Errorf("a redirect needs a routePrefix")
	}
	route := *in.RoutePrefix
	for lost := 0; ; lost++ {
		sent := time.Now()
		created, err := d.redirects.Create(ctx, in)
		switch {
		case err == nil:
			return created, nil
		case hubspot.StatusCode(err) == http.StatusConflict:
			return d.existingRedirect(ctx, in, time.Time{}, err)
		case !mayHaveApplied(err):
			return nil, err
		}
		sdk.Logger(ctx).Warn().Err(err).Str("routePrefix", route).
			Msg("HubSpot's answer to a URL redirect create was lost; looking it up by its routePrefix")
		found, ferr := d.existingRedirect(ctx, in, sent.Add(-lostCreateSkew), err)
		if found != nil || ferr != nil {
			return found, ferr
		}
		// Not created: send it again, unless that was the last try (the
		// lookup above came first, so a create HubSpot applied is never
		// reported failed).
		if lost == maxLostRedirectCreates-1 {
			return nil, fmt.Errorf("HubSpot's answers to %d creates of it were lost, and it does not exist: %w", lost+1, err)
		}
	}
}

// existingRedirect finds the live redirect of in's routePrefix, created at
// or after since (any time when zero). One that holds every value of in is
// what the create wrote; one with other values is an error; none is nil,
// nil. cause is the create's error, which the errors quote.
func (d *Destination) existingRedirect(ctx context.Context, in hubspot.URLRedirectInput, since time.Time, cause error) (*hubspot.URLRedirect, error) {
	route := *in.RoutePrefix
	found, err := d.redirects.FindByRoutePrefix(ctx, route, since)
	switch {
	case err != nil:
		return nil, fmt.Errorf("look up the URL redirect of routePrefix %q (the create failed: %w): %w", route, cause, err)
	case found == nil && hubspot.StatusCode(cause) == http.StatusConflict:
		return nil, cause
	case found == nil:
		return nil, nil
	case !in.Matches(*found):
		return nil, fmt.Errorf("the URL redirect of routePrefix %q (id %s) exists with other values: the create did not write it: %w", route, found.ID, cause)
	}
	return found, nil
}

// redirectFields are the fields a payload may set, with the kind of value
// HubSpot takes; redirectComputed are the ones HubSpot sets itself, which a
// record read from HubSpot carries and the destination leaves out.
var (
	redirectStrings  = []string{"routePrefix", "destination"}
	redirectInts     = []string{"redirectStyle", "precedence"}
	redirectBools    = []string{"isOnlyAfterNotFound", "isMatchFullUrl", "isMatchQueryString", "isPattern", "isTrailingSlashOptional", "isProtocolAgnostic"}
	redirectComputed = []string{"id", "created", "updated", "createdAt", "updatedAt"}
)

// redirectInput reads a payload's redirect fields. A null leaves a field
// out, as an update that does not name it.
func redirectInput(payload opencdc.Data) (hubspot.URLRedirectInput, error) {
	data, err := recordData(payload)
	if err != nil {
		return hubspot.URLRedirectInput{}, err
	}
	var in hubspot.URLRedirectInput
	strs := map[string]**string{"routePrefix": &in.RoutePrefix, "destination": &in.Destination}
	ints := map[string]**int{"redirectStyle": &in.RedirectStyle, "precedence": &in.Precedence}
	bools := map[string]**bool{
		"isOnlyAfterNotFound": &in.IsOnlyAfterNotFound, "isMatchFullUrl": &in.IsMatchFullURL,
		"isMatchQueryString": &in.IsMatchQueryString, "isPattern": &in.IsPattern,
		"isTrailingSlashOptional": &in.IsTrailingSlashOptional, "isProtocolAgnostic": &in.IsProtocolAgnostic,
	}
	var unknown []string
	for name, v := range data {
		if v == nil || slices.Contains(redirectComputed, name) {
			continue
		}
		var err error
		switch {
		case strs[name] != nil:
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("a %T cannot be a text field", v)
			}
			*strs[name] = &s
		case ints[name] != nil:
			var n int
			n, err = intValue(v)
			*ints[name] = &n
		case bools[name] != nil:
			var b bool
			b, err = boolValue(v)
			*bools[name] = &b
		default:
			unknown = append(unknown, name)
		}
		if err != nil {
			return hubspot.URLRedirectInput{}, fmt.Errorf("field %q: %w (the value: %s)", name, err, quoteValue(v))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return hubspot.URLRedirectInput{}, fmt.Errorf("a URL redirect has no fields %s; it has %s", strings.Join(unknown, ", "),
			strings.Join(slices.Concat(redirectStrings, redirectInts, redirectBools), ", "))
	}
	return in, nil
}

// intValue is a whole number of any Go or JSON type, or one written as text.
func intValue(v any) (int, error) {
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
			return 0, fmt.Errorf("want a whole number")
		}
		return int(v), nil
	case float32:
		return intValue(float64(v))
	case *big.Rat:
		if v == nil || !v.IsInt() || !v.Num().IsInt64() {
			return 0, fmt.Errorf("want a whole number")
		}
		return intValue(float64(v.Num().Int64()))
	case bool:
		return 0, fmt.Errorf("a bool cannot be a number")
	case string, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		n, err := strconv.ParseInt(strings.TrimSpace(fmt.Sprint(v)), 10, 32)
		if err != nil {
			return 0, fmt.Errorf("want a whole number")
		}
		return int(n), nil
	default:
		return 0, fmt.Errorf("a %T cannot be a number", v)
	}
}

// boolValue is a bool, or one written as text ("true", "false").
func boolValue(v any) (bool, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return false, fmt.Errorf("want true or false")
		}
		return b, nil
	default:
		return false, fmt.Errorf("a %T cannot be a bool", v)
	}
}
