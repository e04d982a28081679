// Package sandbox decides where the account tests (TestAccount...) run:
// against the simulator, as make test runs them, or against the real
// HubSpot account of HUBSPOT_ACCESS_TOKEN, as make test-sandbox runs them.
//
// A token in the environment alone never sends a test to HubSpot: make
// test-sandbox sets HUBSPOT_SANDBOX=1 too. In the sandbox, tests use only
// objects they create, marked with Marker, and archive them in t.Cleanup;
// an account that holds objects the tests did not make is refused unless
// HUBSPOT_SANDBOX_FORCE=1.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// The environment variables the sandbox reads.
const (
	EnvSandbox = "HUBSPOT_SANDBOX"       // "1": run against a real account
	EnvToken   = "HUBSPOT_ACCESS_TOKEN"  // that account's access token
	EnvBaseURL = "HUBSPOT_BASE_URL"      // optional: another API host
	EnvForce   = "HUBSPOT_SANDBOX_FORCE" // "1": use an account with others' objects
)

// Marker starts every value by which the sandbox tests tell their objects
// from others: the domain of their emails, the names of other objects.
const Marker = "conduit-sandbox-"

// ErrNoToken is the error of a sandbox run without a token.
var ErrNoToken = errors.New(EnvSandbox + "=1 (make test-sandbox) needs " + EnvToken +
	": the access token of a service key or private app in a HubSpot developer test account, with the scopes docs/development.md lists")

// Settings is what the environment asks for.
type Settings struct {
	Real    bool // a real account, not the simulator
	Token   string
	BaseURL string
	Force   bool
}

// FromEnv reads the settings through getenv (os.Getenv).
func FromEnv(getenv func(string) string) (Settings, error) {
	if getenv(EnvSandbox) != "1" {
		return Settings{}, nil
	}
	s := Settings{Real: true, Token: getenv(EnvToken), BaseURL: getenv(EnvBaseURL), Force: getenv(EnvForce) == "1"}
	if s.Token == "" {
		return Settings{}, ErrNoToken
	}
	if s.BaseURL == "" {
		s.BaseURL = hubspot.DefaultBaseURL
	}
	return s, nil
}

// Account is the HubSpot a test runs against, over HTTP either way.
type Account struct {
	BaseURL, Token string
	Client         *hubspot.Client
	// Real says the account is HubSpot's: its search index lags by
	// seconds to minutes, and other activity may show.
	Real bool
	// Run is unique to this test run; Email and Name put it in values.
	Run string
}

// Open is New with the settings of the environment; a sandbox run without
// a token fails the test with ErrNoToken.
func Open(t testing.TB, types []string, simOpts ...hubspottest.Option) Account {
	t.Helper()
	s, err := FromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return New(t, s, types, simOpts...)
}

// New returns the account for the test: with settings from FromEnv, the
// real account, after checking that every one of types holds only objects
// of earlier sandbox runs; else a new simulator made with simOpts.
func New(t testing.TB, s Settings, types []string, simOpts ...hubspottest.Option) Account {
	t.Helper()
	run := Marker + strconv.FormatInt(time.Now().UnixNano(), 36)
	if !s.Real {
		srv, err := hubspottest.NewServer(simOpts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		c, err := hubspot.NewClient(srv.Token, hubspot.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return Account{BaseURL: srv.URL, Token: srv.Token, Client: c, Run: run}
	}
	c, err := hubspot.NewClient(s.Token, hubspot.WithBaseURL(s.BaseURL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := CheckOnlyOurs(context.Background(), c.Objects, types, s.Force); err != nil {
		t.Fatal(err)
	}
	return Account{BaseURL: s.BaseURL, Token: s.Token, Client: c, Real: true, Run: run}
}

// Email returns an address unique to the run: its domain carries Marker.
func (a Account) Email(name string) string { return name + "@" + a.Run + ".example.com" }

// Name returns a name unique to the run, for objects without email.
func (a Account) Name(name string) string { return a.Run + " " + name }

// Archive archives the objects in t.Cleanup, so that they go even when the
// test fails; ids is read then, so objects created later count too.
func (a Account) Archive(t testing.TB, objectType string, ids *[]string) {
	t.Helper()
	t.Cleanup(func() {
		if len(*ids) == 0 {
			return
		}
		if err := a.Client.Objects.BatchArchive(context.Background(), objectType, *ids); err != nil {
			t.Errorf("clean up %d %s of %s: %v", len(*ids), objectType, a.Run, err)
		}
	})
}

// markedProperty is the property that holds Marker in the objects of the
// type that the sandbox tests make.
func markedProperty(objectType string) (string, bool) {
	switch objectType {
	case "contacts":
		return "email", true
	case "companies":
		return "name", true
	case "deals":
		return "dealname", true
	case "tickets":
		return "subject", true
	default:
		return "", false
	}
}

// ObjectLister lists objects; *hubspot.ObjectsService is one.
type ObjectLister interface {
	List(ctx context.Context, objectType string, opts hubspot.ListOptions) (*hubspot.ObjectPage, error)
}

// CheckOnlyOurs fails when an object type holds an object that no sandbox
// run made, unless force. It costs one list call of one object per type:
// HubSpot lists by id ascending, the oldest first, so an account whose
// first object is ours held none before the sandbox tests first ran, such
// as the sample contacts and companies a new account may come with.
// Objects added by others since are not looked for; the tests ignore
// objects they did not make.
func CheckOnlyOurs(ctx context.Context, objects ObjectLister, types []string, force bool) error {
	var foreign []string
	for _, typ := range types {
		prop, ok := markedProperty(typ)
		if !ok {
			return fmt.Errorf("sandbox: no marked property for %s", typ)
		}
		page, err := objects.List(ctx, typ, hubspot.ListOptions{Limit: 1, Properties: []string{prop}})
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		for _, o := range page.Results {
			if v, _ := o.Properties.Get(prop); !strings.Contains(v, Marker) {
				foreign = append(foreign, fmt.Sprintf("%s %s (%s %q)", typ, o.ID, prop, v))
			}
		}
	}
	if len(foreign) == 0 || force {
		return nil
	}
	return fmt.Errorf("sandbox: the account holds objects the sandbox tests did not create (%s); "+
		"use an empty developer test account, or set %s=1 to run anyway", strings.Join(foreign, ", "), EnvForce)
}
