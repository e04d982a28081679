package sandbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Settings
		wantErr error
	}{
		{name: "nothing set: the simulator", want: Settings{}},
		{name: "a token alone never reaches HubSpot", env: map[string]string{EnvToken: "pat-1"}, want: Settings{}},
		{name: "sandbox without a token", env: map[string]string{EnvSandbox: "1"}, wantErr: ErrNoToken},
		{name: "sandbox", env: map[string]string{EnvSandbox: "1", EnvToken: "pat-1"},
			want: Settings{Real: true, Token: "pat-1", BaseURL: hubspot.DefaultBaseURL}},
		{name: "sandbox elsewhere, forced", env: map[string]string{EnvSandbox: "1", EnvToken: "pat-1", EnvBaseURL: "https://api.example", EnvForce: "1"},
			want: Settings{Real: true, Token: "pat-1", BaseURL: "https://api.example", Force: true}},
		{name: "only 1 means yes", env: map[string]string{EnvSandbox: "true", EnvToken: "pat-1"}, want: Settings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			got, err := FromEnv(func(k string) string { return tt.env[k] })
			is.True(errors.Is(err, tt.wantErr))
			is.Equal(got, tt.want)
		})
	}
}

func TestCheckOnlyOurs(t *testing.T) {
	ours := map[string]string{"email": "a@" + Marker + "abc.example.com"}
	ours2 := map[string]string{"email": "b@" + Marker + "abc.example.com"}
	foreign := map[string]string{"email": "brian@hubspot.com"}
	tests := []struct {
		name     string
		contacts []map[string]string // created in this order
		types    []string
		force    bool
		wantErr  string
	}{
		{name: "an empty account", types: []string{"contacts", "companies"}},
		{name: "only leftovers of earlier runs", contacts: []map[string]string{ours, ours2}, types: []string{"contacts"}},
		{name: "someone's contact", contacts: []map[string]string{foreign, ours}, types: []string{"contacts", "companies"}, wantErr: EnvForce + "=1"},
		{name: "someone's contact, forced", contacts: []map[string]string{foreign}, types: []string{"contacts"}, force: true},
		{name: "a type the sandbox cannot tell", types: []string{"line_items"}, wantErr: "no marked property"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits())
			is.NoErr(err)
			t.Cleanup(srv.Close)
			for _, props := range tt.contacts {
				_, err := srv.Create("contacts", props)
				is.NoErr(err)
			}
			c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
			is.NoErr(err)
			t.Cleanup(c.Close)
			err = CheckOnlyOurs(context.Background(), c.Objects, tt.types, tt.force)
			if tt.wantErr == "" {
				is.NoErr(err)
				return
			}
			is.True(err != nil && strings.Contains(err.Error(), tt.wantErr)) // the error says what to do
		})
	}
}

// TestCheckOnlyOursNeedsAccess: a token HubSpot refuses fails the check,
// never passes it.
func TestCheckOnlyOursNeedsAccess(t *testing.T) {
	is := is.New(t)
	srv, err := hubspottest.NewServer(hubspottest.WithoutRateLimits())
	is.NoErr(err)
	t.Cleanup(srv.Close)
	c, err := hubspot.NewClient("pat-wrong", hubspot.WithBaseURL(srv.URL), hubspot.WithMaxRetries(0))
	is.NoErr(err)
	t.Cleanup(c.Close)
	is.True(CheckOnlyOurs(context.Background(), c.Objects, []string{"contacts"}, true) != nil)
}

func TestNewWithoutSandboxIsTheSimulator(t *testing.T) {
	is := is.New(t)
	a := New(t, Settings{}, []string{"contacts"})
	is.True(!a.Real)
	is.True(strings.HasPrefix(a.BaseURL, "http://127.0.0.1:"))
	is.True(strings.Contains(a.Email("x"), Marker))
	o, err := a.Client.Objects.Create(context.Background(), "contacts", hubspot.Properties{"email": hubspot.String(a.Email("x"))})
	is.NoErr(err)
	is.True(o.ID != "")
}

// cleanups is a testing.TB that keeps its clean-ups, to run them when the
// test says.
type cleanups struct {
	testing.TB
	fns  []func()
	errs int
}

func (c *cleanups) Helper()               {}
func (c *cleanups) Cleanup(fn func())     { c.fns = append(c.fns, fn) }
func (c *cleanups) Errorf(string, ...any) { c.errs++ }
func (c *cleanups) run() {
	slices.Reverse(c.fns)
	for _, fn := range c.fns {
		fn()
	}
}

// TestArchiveCleansUp: the objects a test made go when it ends, those made
// after Archive was called too.
func TestArchiveCleansUp(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	a := New(t, Settings{}, []string{"contacts"})
	test := &cleanups{TB: t}
	var ids []string
	a.Archive(test, "contacts", &ids)
	for _, name := range []string{"x", "y"} {
		o, err := a.Client.Objects.Create(ctx, "contacts", hubspot.Properties{"email": hubspot.String(a.Email(name))})
		is.NoErr(err)
		ids = append(ids, o.ID)
	}
	test.run() // go test runs clean-ups whether the test passed or failed
	is.Equal(test.errs, 0)
	page, err := a.Client.Objects.List(ctx, "contacts", hubspot.ListOptions{})
	is.NoErr(err)
	is.Equal(len(page.Results), 0)
}
