// Command hubspot-demo-postgres shows HubSpot contacts replicated into a
// PostgreSQL table with typed columns: it starts the HubSpot simulator with
// every contact property and seed contacts, a throwaway PostgreSQL cluster
// on loopback (Debian's postgresql; internal/testkit/pgtest), creates the table,
// and runs examples/hubspot-to-postgres.yaml in bin/conduit. It prints how
// to look at the table with psql and the row count as it changes; after
// the snapshot the simulator makes a change a second (creates, updates,
// archives), which the table follows. Ctrl-C stops Conduit and the cluster
// and removes it.
//
//	make demo-postgres
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

// seeded is how many contacts the simulator starts with.
const seeded = 200

func main() {
	conduit := flag.String("conduit", "bin/conduit", "the Conduit binary")
	plugin := flag.String("plugin", "conduit-connector-hubspot", "the connector plugin (make build)")
	pipeline := flag.String("pipeline", "examples/hubspot-to-postgres.yaml", "the pipeline configuration")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, *conduit, *plugin, *pipeline)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hubspot-demo-postgres:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, conduit, plugin, pipeline string) error {
	work, err := os.MkdirTemp("", "hubspot-demo-postgres-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	// The work folder goes when the demo stops, all but Conduit's log,
	// whose path it prints, as make demo does.
	logPath := filepath.Join(work, "conduit.log")
	defer func() {
		entries, _ := os.ReadDir(work)
		for _, e := range entries {
			if e.Name() != filepath.Base(logPath) {
				_ = os.RemoveAll(filepath.Join(work, e.Name()))
			}
		}
		fmt.Fprintf(out, "Conduit's log: %s\n", logPath)
	}()

	pg, err := pgtest.Start(work)
	if err != nil {
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	defer func() {
		if err := pg.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	if _, err := pg.Psql(pgtest.ContactsTable); err != nil {
		return fmt.Errorf("create the table: %w", err)
	}
	fmt.Fprintf(out, "PostgreSQL on 127.0.0.1:%d, table contacts created\n", pg.Port)

	srv, err := hubspottest.NewServer(hubspottest.WithFullPropertyCatalog())
	if err != nil {
		return fmt.Errorf("start the simulator: %w", err)
	}
	defer srv.Close()
	if _, err := srv.Seed("contacts", seeded, nil); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "HubSpot simulator at %s: %d contacts\n", srv.URL, seeded)

	connectors := filepath.Join(work, "connectors")
	abs, err := filepath.Abs(plugin)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		return fmt.Errorf("no plugin (make build builds it): %w", err)
	}
	if err := os.Mkdir(connectors, 0o755); err != nil {
		return fmt.Errorf("connectors folder: %w", err)
	}
	if err := os.Symlink(abs, filepath.Join(connectors, "conduit-connector-hubspot")); err != nil {
		return fmt.Errorf("link the plugin: %w", err)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("conduit log: %w", err)
	}
	defer logFile.Close()
	// Not ctx: its end would kill Conduit, which is asked to stop instead.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), conduit, "run",
		"--api.enabled=false",
		"--connectors.path", connectors,
		"--pipelines.path", pipeline,
		"--db.type", "sqlite", "--db.sqlite.path", filepath.Join(work, "conduit.db"),
		"--pipelines.exit-on-degraded",
	)
	cmd.Env = append(os.Environ(),
		"HUBSPOT_ACCESS_TOKEN="+srv.Token, "HUBSPOT_BASE_URL="+srv.URL,
		"HUBSPOT_POLLING_PERIOD=1s", "HUBSPOT_DELETES_POLLING_PERIOD=5s",
		"POSTGRES_URL="+pg.URL("postgres"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches the demo, which stops Conduit
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start Conduit (make demo-postgres builds bin/conduit): %w", err)
	}
	// done closes when Conduit has exited, with its status in waitErr.
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(done)
	}()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT) // Conduit stops gracefully on SIGINT
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()
	fmt.Fprintf(out, "Conduit is running %s (log: %s); Ctrl-C stops the demo\n\n", pipeline, logPath)
	fmt.Fprintf(out, "Look at the table while it runs:\n  %s -c 'SELECT id, email, annualrevenue, hs_email_optout, notes_last_contacted, date_of_birth FROM contacts ORDER BY id LIMIT 10'\n  %s -c '\\d contacts'\n\n",
		pg.PsqlCommand(), pg.PsqlCommand())
	if err := watch(ctx, out, pg, srv, done, &waitErr); err != nil {
		// The work folder goes: show the end of the log now.
		logged, _ := os.ReadFile(logPath)
		if len(logged) > 3000 {
			logged = logged[len(logged)-3000:]
		}
		return fmt.Errorf("%w; the end of Conduit's log:\n%s", err, logged)
	}
	return nil
}

// watch prints the table's row count when it changes, starts the changes
// once the snapshot is in, and returns at Ctrl-C or when Conduit exits.
func watch(ctx context.Context, out io.Writer, pg *pgtest.Cluster, srv *hubspottest.Server, done <-chan struct{}, waitErr *error) error {
	last, mutating := "", false
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(out, "stopped")
			return nil
		case <-done:
			if *waitErr == nil {
				return fmt.Errorf("conduit exited, the pipeline stopped")
			}
			return fmt.Errorf("conduit exited, the pipeline stopped: %w", *waitErr)
		case <-tick.C:
		}
		n, err := pg.Psql("SELECT count(*) FROM contacts")
		if err != nil {
			return err
		}
		if n != last {
			fmt.Fprintf(out, "%s rows in contacts\n", n)
			last = n
		}
		if !mutating && n == fmt.Sprint(seeded) {
			mutating = true
			fmt.Fprintln(out, "snapshot done; the simulator now makes a change a second, which the table follows")
			seed := new(maphash.Hash).Sum64() // a random seed: each Hash has its own
			go simdata.Mutate(ctx, srv, []string{"contacts"}, 1, seed, nil)
		}
	}
}
