// Package pgtest starts a throwaway PostgreSQL cluster for the end-to-end
// test into PostgreSQL and for make demo-postgres: initdb into a folder,
// the server listening on 127.0.0.1 only, on a free port, with trust
// authentication (nothing but loopback reaches it), and its socket in the
// same folder. The server is Debian's (apt-get install postgresql), found
// through PATH or /usr/lib/postgresql/*/bin.
//
// PostgreSQL refuses to run as root: as root, initdb and the server run as
// the postgres system user that Debian's package creates (runuser), and the
// folder is handed to it.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/conduittest"
)

// ErrNotInstalled is returned when no PostgreSQL server is found.
var ErrNotInstalled = errors.New("no PostgreSQL server found in PATH or /usr/lib/postgresql/*/bin: " +
	"install it (Debian: apt-get install postgresql)")

// cmdTimeout bounds each program run: initdb, pg_ctl (which waits up to
// 60 s for the server) and psql.
const cmdTimeout = 2 * time.Minute

// systemUser runs the server when the caller is root.
const systemUser = "postgres"

// Cluster is a running throwaway cluster.
type Cluster struct {
	// Port is the TCP port on 127.0.0.1.
	Port int
	dir  string // data, socket and log under it
	bin  string // the folder of initdb, pg_ctl and psql
	as   string // the user the server runs as, "" for the caller
}

// Binaries returns the folder of PostgreSQL's server programs (initdb,
// pg_ctl, postgres), or ErrNotInstalled.
func Binaries() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			p = resolved // Debian's /usr/bin links point into /usr/lib/postgresql
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// The newest first: 15 before 9.6.
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	return "", ErrNotInstalled
}

// version is the major version in /usr/lib/postgresql/<version>/bin.
func version(binDir string) int {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return int(v * 10)
}

// Start creates a cluster in dir (which must exist) and starts its server.
// Stop stops it.
func Start(dir string) (*Cluster, error) {
	bin, err := Binaries()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: filepath.Join(dir, "postgres"), bin: bin}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if os.Getuid() == 0 {
		if err := c.handOver(); err != nil {
			return nil, err
		}
	}
	if out, err := c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"); err != nil {
		return nil, fmt.Errorf("pgtest: %w\n%s", err, out)
	}
	// A free port can be taken between the probe and the server's start:
	// try a few.
	for attempt := 0; ; attempt++ {
		if c.Port, err = freePort(); err != nil {
			return nil, err
		}
		out, err := c.run("pg_ctl", "start", "-D", c.data(), "-w", "-t", "60", "-l", c.Log(), "-o",
			fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", c.Port, c.dir))
		if err == nil {
			return c, nil
		}
		if attempt == 2 {
			logged, _ := os.ReadFile(c.Log())
			return nil, fmt.Errorf("pgtest: %w\n%s\n%s", err, out, logged)
		}
	}
}

// handOver makes c.dir the postgres user's, and the folders above it
// passable to it (t.TempDir's are 0700).
func (c *Cluster) handOver() error {
	u, err := user.Lookup(systemUser)
	if err != nil {
		return fmt.Errorf("pgtest: PostgreSQL refuses to run as root, and there is no %s user to run it as "+
			"(Debian's postgresql package creates it): %w", systemUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(c.dir, uid, gid); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	for d := filepath.Dir(c.dir); d != "/"; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
		if fi.Mode().Perm()&0o001 != 0 {
			continue // passable already, as /tmp is
		}
		if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
	}
	c.as = systemUser
	return nil
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// Log returns the path of the server's log.
func (c *Cluster) Log() string { return filepath.Join(c.dir, "server.log") }

// run runs one of the server's programs as the cluster's user.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	name := filepath.Join(c.bin, prog)
	if c.as != "" {
		args = append([]string{"-u", c.as, "--", name}, args...)
		name = "runuser"
	}
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = ownGroup()
	// pg_ctl's server keeps the output open: a file, not a pipe, so that
	// the command returns when pg_ctl does.
	out, err := os.CreateTemp("", "pgtest-out-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		return b, fmt.Errorf("%s: %w", prog, err)
	}
	return nil, nil
}

// Stop stops the server (fast: it ends open sessions).
func (c *Cluster) Stop() error {
	if out, err := c.run("pg_ctl", "stop", "-D", c.data(), "-m", "fast", "-w"); err != nil {
		return fmt.Errorf("pgtest: %w\n%s", err, out)
	}
	return nil
}

// URL is the connection string of database db as the postgres superuser.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// Psql runs sql through psql in database postgres and returns its output,
// unaligned without headers: one row a line, columns split by "|".
func (c *Cluster) Psql(sql string) (string, error) {
	psql := filepath.Join(c.bin, "psql")
	if _, err := os.Stat(psql); err != nil {
		psql = "psql"
	}
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", c.URL("postgres"), "-c", sql)
	cmd.SysProcAttr = ownGroup()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("psql: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimRight(stdout.String(), "\n"), nil
}

// PsqlCommand is the psql command line a person runs to look at the
// cluster.
func (c *Cluster) PsqlCommand() string {
	psql := filepath.Join(c.bin, "psql")
	if _, err := os.Stat(psql); err != nil {
		psql = "psql"
	}
	return fmt.Sprintf("%s %q", psql, c.URL("postgres"))
}

// ownGroup puts a command in a process group of its own: a terminal's
// Ctrl-C, which reaches the demo's whole group, must not end a psql or the
// server in the middle, the demo stops them itself.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func freePort() (int, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartT starts a cluster in a t.TempDir() and stops it in t.Cleanup.
// Without PostgreSQL it skips t, or fails it under
// HUBSPOT_E2E_REQUIRED=1 (make test), as conduittest.Binary does.
func StartT(t testing.TB) *Cluster {
	t.Helper()
	if _, err := Binaries(); err != nil {
		if os.Getenv(conduittest.EnvRequired) == "1" {
			t.Fatalf("%v; %s=1 (make test) requires the end-to-end test into PostgreSQL", err, conduittest.EnvRequired)
		}
		t.Skip(err)
	}
	c, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// ContactsTable creates the table examples/hubspot-to-postgres.yaml writes
// into: a typed column for every field of the records its source emits
// (the properties it names, the always-read ones and the record's own),
// and id, the records' key, the primary key. Column names are the fields'
// names, so the camel-case ones are quoted.
const ContactsTable = `CREATE TABLE contacts (
	id text PRIMARY KEY,
	"createdAt" timestamptz,
	"updatedAt" timestamptz,
	"archivedAt" timestamptz,
	hs_object_id double precision,
	createdate timestamptz,
	lastmodifieddate timestamptz,
	hs_merged_object_ids text,
	email text,
	firstname text,
	annualrevenue double precision,
	hs_email_optout boolean,
	notes_last_contacted timestamptz,
	date_of_birth date
)`

// CRMTables creates the tables examples/hubspot-crm-to-postgres.yaml writes
// into, one per resource, as ContactsTable does for its example.
const CRMTables = `CREATE TABLE contacts (
	id text PRIMARY KEY, "createdAt" timestamptz, "updatedAt" timestamptz, "archivedAt" timestamptz,
	hs_object_id double precision, createdate timestamptz, lastmodifieddate timestamptz,
	hs_merged_object_ids text, email text, firstname text);
CREATE TABLE companies (
	id text PRIMARY KEY, "createdAt" timestamptz, "updatedAt" timestamptz, "archivedAt" timestamptz,
	hs_object_id double precision, createdate timestamptz, hs_lastmodifieddate timestamptz,
	hs_merged_object_ids text, name text, domain text);
CREATE TABLE deals (
	id text PRIMARY KEY, "createdAt" timestamptz, "updatedAt" timestamptz, "archivedAt" timestamptz,
	hs_object_id double precision, createdate timestamptz, hs_lastmodifieddate timestamptz,
	hs_merged_object_ids text, dealname text, amount double precision)`

// DealPipelineTables creates the tables examples/hubspot-deal-pipelines-to-postgres.yaml
// writes into: deals, their pipelines, their stages and the history of
// their dealstage.
const DealPipelineTables = `CREATE TABLE deals (id text PRIMARY KEY, "createdAt" timestamptz,
  "updatedAt" timestamptz, "archivedAt" timestamptz,
  hs_object_id double precision, createdate timestamptz,
  hs_lastmodifieddate timestamptz, hs_merged_object_ids text,
  dealname text, dealstage text, pipeline text);
CREATE TABLE deal_pipelines (id text PRIMARY KEY,
  "createdAt" timestamptz, "updatedAt" timestamptz,
  "archivedAt" timestamptz, label text, "displayOrder" double precision,
  "objectType" text);
CREATE TABLE deal_pipeline_stages (id text PRIMARY KEY,
  "createdAt" timestamptz, "updatedAt" timestamptz,
  "archivedAt" timestamptz, label text, "displayOrder" double precision,
  "objectType" text, "pipelineId" text, "pipelineLabel" text,
  "pipelineDisplayOrder" double precision, metadata text,
  "writePermissions" text, probability double precision,
  "isClosed" boolean);
CREATE TABLE deals_property_history ("objectId" text, property text,
  "timestamp" timestamptz, value text, "sourceType" text, "sourceId" text,
  "sourceLabel" text, "updatedByUserId" bigint,
  PRIMARY KEY ("objectId", property, "timestamp"));`
