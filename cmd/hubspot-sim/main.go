// Command hubspot-sim serves the HubSpot simulator on a loopback address,
// for the demo, end-to-end tests and benchmarks.
//
//	hubspot-sim -addr 127.0.0.1:3000 -seed contacts=10000,companies=500 -mutate 50/s [-mutate-seed N]
//
// Besides the access token it prints, it has an OAuth app installed
// (-client-id, -client-secret, -refresh-token, random where not given), whose
// refresh token its token endpoint (/oauth/2026-03/token) exchanges for
// access tokens that last -token-lifetime: examples/hubspot-oauth-to-file.yaml
// runs against it.
package main

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-sim:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("hubspot-sim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	token := fs.String("token", "", "access token to accept (default: a random one)")
	seed := fs.String("seed", "", "objects to create at start, as type=count[,type=count...]")
	owners := fs.Int("owners", 0, "owners to create at start")
	mutate := fs.String("mutate", "", "steady changes to the seeded types, as N/s (creates, updates and deletes)")
	mutateSeed := fs.Uint64("mutate-seed", 0, "seed of the -mutate changes, to make them again (default: a random one, printed)")
	rateLimit := fs.Int("rate-limit", 190, "requests per rolling 10 s window; 0 turns the limit off")
	searchRate := fs.Int("search-rate", 5, "search requests per second; 0 turns the limit off")
	searchPerToken := fs.Bool("search-per-token", false, "count the search limit for each token apart, not for the account")
	searchBodyLimit := fs.Bool("search-body-limit", false, "refuse a search body over 3,000 characters with a 400, as HubSpot's search guide says")
	daily := fs.Int("daily-limit", 1_000_000, "requests per day; 0 turns the limit off")
	timeZone := fs.String("time-zone", hubspottest.DefaultAccountTimeZone, "the account's time zone, where the daily limit resets at midnight")
	lag := fs.Duration("lag", 0, "search index lag")
	links := fs.String("links", "", "links to make at start between seeded objects, as from:to=perObject[,...], e.g. deals:contacts=2")
	clientID := fs.String("client-id", "", "the OAuth app's client id (default: a random one)")
	clientSecret := fs.String("client-secret", "", "the OAuth app's client secret (default: a random one)")
	refreshToken := fs.String("refresh-token", "", "the refresh token the account granted the OAuth app (default: a random one)")
	tokenLifetime := fs.Duration("token-lifetime", 30*time.Minute, "how long the access tokens of the token endpoint last (HubSpot's: 30 minutes)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	counts, err := parseSeed(*seed)
	if err != nil {
		return err
	}
	perSecond, err := parseRate(*mutate)
	if err != nil {
		return err
	}
	linkCounts, err := parseLinks(*links)
	if err != nil {
		return err
	}

	app := oauthApp{id: orRandom(*clientID, "sim-client-"), secret: orRandom(*clientSecret, "sim-secret-"), refresh: orRandom(*refreshToken, "sim-refresh-")}
	opts := []hubspottest.Option{
		hubspottest.WithAddr(*addr),
		hubspottest.WithToken(*token),
		hubspottest.WithRateLimit(*rateLimit, 10*time.Second),
		hubspottest.WithSearchRateLimit(*searchRate),
		hubspottest.WithDailyLimit(*daily),
		hubspottest.WithAccountTimeZone(*timeZone),
		hubspottest.WithIndexLag(*lag),
		hubspottest.WithOAuthApp(app.id, app.secret, app.refresh),
		hubspottest.WithAccessTokenLifetime(*tokenLifetime),
	}
	if *searchPerToken {
		opts = append(opts, hubspottest.WithSearchLimitPerToken())
	}
	if *searchBodyLimit {
		opts = append(opts, hubspottest.WithSearchBodyLimit())
	}
	srv, err := hubspottest.NewServer(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()

	types := make([]string, 0, len(counts))
	for _, c := range counts {
		if !slices.Contains(srv.ObjectTypes(), c.typ) {
			return fmt.Errorf("-seed: unknown object type %q (known: %s)", c.typ, strings.Join(srv.ObjectTypes(), ", "))
		}
		if _, err := srv.Seed(c.typ, c.n, nil); err != nil {
			return err
		}
		types = append(types, c.typ)
	}
	for _, l := range linkCounts {
		if _, err := simdata.SeedLinks(srv, l.from, l.to, l.n, 1); err != nil {
			return fmt.Errorf("-links: %w", err)
		}
	}
	for i := range *owners {
		srv.AddOwner(fmt.Sprintf("owner%d@example.com", i), fmt.Sprintf("Owner%d", i), "Sim")
	}

	fmt.Fprintf(out, "HubSpot simulator listening\nURL:   %s\nToken: %s\n", srv.URL, srv.Token)
	fmt.Fprintf(out, "OAuth app (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, HUBSPOT_REFRESH_TOKEN):\nClient ID:      %s\nClient secret:  %s\nRefresh token:  %s\nToken lifetime: %s\n",
		app.id, app.secret, app.refresh, *tokenLifetime)

	if perSecond > 0 && len(types) > 0 {
		seed := *mutateSeed
		if seed == 0 {
			seed = rand.Uint64()
		}
		fmt.Fprintf(out, "Mutate: %s/s, -mutate-seed %d\n", strconv.FormatFloat(perSecond, 'f', -1, 64), seed)
		done := make(chan struct{})
		defer func() { <-done }()
		go func() {
			defer close(done)
			simdata.Mutate(ctx, srv, types, perSecond, seed, func(err error) { fmt.Fprintln(os.Stderr, "hubspot-sim: mutate:", err) })
		}()
	}
	<-ctx.Done()
	fmt.Fprintln(out, "hubspot-sim: stopping")
	return nil
}

type seedCount struct {
	typ string
	n   int
}

func parseSeed(s string) ([]seedCount, error) {
	if s == "" {
		return nil, nil
	}
	var out []seedCount
	for _, part := range strings.Split(s, ",") {
		typ, n, ok := strings.Cut(strings.TrimSpace(part), "=")
		count, err := strconv.Atoi(n)
		if !ok || err != nil || count < 0 {
			return nil, fmt.Errorf("-seed: %q is not type=count", part)
		}
		out = append(out, seedCount{typ, count})
	}
	return out, nil
}

type linkCount struct {
	from, to string
	n        int
}

// parseLinks reads from:to=perObject[,...], in -seed's shape.
func parseLinks(s string) ([]linkCount, error) {
	counts, err := parseSeed(s)
	if err != nil {
		return nil, fmt.Errorf("-links: want from:to=perObject: %w", err)
	}
	out := make([]linkCount, len(counts))
	for i, c := range counts {
		from, to, ok := strings.Cut(c.typ, ":")
		if !ok || from == "" || to == "" {
			return nil, fmt.Errorf("-links: %q is not from:to", c.typ)
		}
		out[i] = linkCount{from, to, c.n}
	}
	return out, nil
}

func parseRate(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	n, ok := strings.CutSuffix(s, "/s")
	rate, err := strconv.ParseFloat(n, 64)
	if !ok || err != nil || rate < 0 {
		return 0, errors.New("-mutate: want a rate such as 50/s")
	}
	return rate, nil
}

// oauthApp is the OAuth app the simulator has installed.
type oauthApp struct{ id, secret, refresh string }

// orRandom is v, or where empty prefix and random hex: a secret of a
// simulator no one else knows.
func orRandom(v, prefix string) string {
	if v != "" {
		return v
	}
	b := make([]byte, 12)
	_, _ = cryptorand.Read(b) // never fails (crypto/rand's documentation)
	return prefix + hex.EncodeToString(b)
}
