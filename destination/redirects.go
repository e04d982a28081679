package destination

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// The URL redirects resource (cms.urlRedirects): HubSpot writes a redirect
// per call (https://developers.hubspot.com/docs/api/cms/url-redirects has no
// batch calls); the records are written as every CMS resource's (cms.go). A
// record's payload is the redirect's JSON fields (routePrefix, destination,
// redirectStyle, ...).

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
	// maxLostCMSCreates is how many creates of one object may lose their
	// answers, each followed by a look-up that finds nothing, before the
	// record fails.
	maxLostCMSCreates = 3
	// lostCreateSkew is how far before a create the look-up of a lost
	// answer starts reading, for the clocks of this machine and HubSpot.
	lostCreateSkew = 5 * time.Minute
)

// redirectsWriter writes URL redirects; routePrefix, which HubSpot keeps
// unique, is the natural key.
func redirectsWriter(w RedirectWriter) cmsWriter {
	return cmsResource[hubspot.URLRedirectInput, hubspot.URLRedirect]{
		name: "URL redirect", short: "redirect", keyField: "routePrefix",
		keyOf:      func(in hubspot.URLRedirectInput) string { return deref(in.RoutePrefix) },
		input:      redirectInput,
		id:         func(r hubspot.URLRedirect) string { return r.ID },
		matches:    func(in hubspot.URLRedirectInput, r hubspot.URLRedirect) bool { return in.Matches(r) },
		createCall: w.Create, updateCall: w.Update, deleteCall: w.Delete,
		find: func(ctx context.Context, in hubspot.URLRedirectInput, since time.Time) (*hubspot.URLRedirect, error) {
			return w.FindByRoutePrefix(ctx, *in.RoutePrefix, since)
		},
	}
}

// openRedirects is Open for the URL redirects.
func (d *Destination) openRedirects(ctx context.Context, res hubspot.Resource, redirects RedirectWriter) error {
	return d.openCMS(ctx, res, redirectsWriter(redirects), func(ctx context.Context, o hubspot.CMSListOptions) error {
		_, err := redirects.List(ctx, o)
		return err
	})
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// redirectComputed are the fields HubSpot sets itself, which a record read
// from HubSpot carries and the destination leaves out.
var redirectComputed = []string{"id", "created", "updated", "createdAt", "updatedAt"}

// redirectInput reads a payload's redirect fields. A null leaves a field
// out, as an update that does not name it.
func redirectInput(payload opencdc.Data) (hubspot.URLRedirectInput, error) {
	var in hubspot.URLRedirectInput
	err := readFields(payload, "a URL redirect", redirectComputed, fieldSet{
		order: []string{"routePrefix", "destination", "redirectStyle", "precedence", "isOnlyAfterNotFound", "isMatchFullUrl",
			"isMatchQueryString", "isPattern", "isTrailingSlashOptional", "isProtocolAgnostic"},
		strs: map[string]**string{"routePrefix": &in.RoutePrefix, "destination": &in.Destination},
		ints: map[string]**int{"redirectStyle": &in.RedirectStyle, "precedence": &in.Precedence},
		bools: map[string]**bool{
			"isOnlyAfterNotFound": &in.IsOnlyAfterNotFound, "isMatchFullUrl": &in.IsMatchFullURL,
			"isMatchQueryString": &in.IsMatchQueryString, "isPattern": &in.IsPattern,
			"isTrailingSlashOptional": &in.IsTrailingSlashOptional, "isProtocolAgnostic": &in.IsProtocolAgnostic,
		},
	})
	return in, err
}

// fieldSet are the fields of a CMS object a payload may set, by the kind
// of value HubSpot takes, each the field of an input to set.
type fieldSet struct {
	order []string // every name, in the order errors list them
	strs  map[string]**string
	ints  map[string]**int
	longs map[string]**int64
	bools map[string]**bool
}

// readFields reads a payload's fields into fs. A null leaves a field out,
// as an update that does not name it; the computed fields (ids, times) are
// skipped; any other name is an error that lists the fields.
func readFields(payload opencdc.Data, noun string, computed []string, fs fieldSet) error {
	data, err := recordData(payload)
	if err != nil {
		return err
	}
	var unknown []string
	for name, v := range data {
		if v == nil || slices.Contains(computed, name) {
			continue
		}
		var err error
		switch {
		case fs.strs[name] != nil:
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("a %T cannot be a text field", v)
			}
			*fs.strs[name] = &s
		case fs.ints[name] != nil:
			var n int64
			n, err = wholeNumber(v, 32)
			m := int(n)
			*fs.ints[name] = &m
		case fs.longs[name] != nil:
			var n int64
			n, err = wholeNumber(v, 64)
			*fs.longs[name] = &n
		case fs.bools[name] != nil:
			var b bool
			b, err = boolValue(v)
			*fs.bools[name] = &b
		default:
			unknown = append(unknown, name)
		}
		if err != nil {
			return fmt.Errorf("field %q: %w (the value: %s)", name, err, quoteValue(v))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("%s has no fields %s; it has %s", noun, strings.Join(unknown, ", "), strings.Join(fs.order, ", "))
	}
	return nil
}

// wholeNumber is a whole number of bits bits of any Go or JSON type, or
// one written as text.
func wholeNumber(v any, bits int) (int64, error) {
	limit := float64(int64(1)<<(bits-1) - 1)
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > limit {
			return 0, fmt.Errorf("want a whole number")
		}
		return int64(v), nil
	case float32:
		return wholeNumber(float64(v), bits)
	case *big.Rat:
		if v == nil || !v.IsInt() || !v.Num().IsInt64() {
			return 0, fmt.Errorf("want a whole number")
		}
		return wholeNumber(strconv.FormatInt(v.Num().Int64(), 10), bits)
	case bool:
		return 0, fmt.Errorf("a bool cannot be a number")
	case string, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		n, err := strconv.ParseInt(strings.TrimSpace(fmt.Sprint(v)), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("want a whole number")
		}
		return n, nil
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
