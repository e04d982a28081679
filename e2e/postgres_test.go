package e2e

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
)

// pgTime is how the test has PostgreSQL print a timestamptz: in UTC with
// milliseconds, as HubSpot writes instants.
const pgTime = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

// pgRows returns the contacts table as PostgreSQL holds it, by id: the
// typed columns printed back by PostgreSQL itself (a double, a boolean, an
// instant in UTC, a date), each with its column's type, so that a value
// that landed as text would show.
func pgRows(t *testing.T, pg *pgtest.Cluster) map[string]string {
	t.Helper()
	out, err := pg.Psql(`SELECT id, email, firstname,
		coalesce(annualrevenue || ':' || pg_typeof(annualrevenue), ''),
		coalesce(hs_email_optout || ':' || pg_typeof(hs_email_optout), ''),
		coalesce(` + fmt.Sprintf(pgTime, "notes_last_contacted") + ` || ':' || pg_typeof(notes_last_contacted), ''),
		coalesce(date_of_birth || ':' || pg_typeof(date_of_birth), ''),
		` + fmt.Sprintf(pgTime, "createdate") + `,
		` + fmt.Sprintf(pgTime, `"updatedAt"`) + `,
		hs_object_id
		FROM contacts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if id, row, ok := strings.Cut(line, "|"); ok {
			rows[id] = row
		}
	}
	return rows
}

// wantRows is what pgRows should return for the simulator's live
// contacts.
func wantRows(srv *hubspottest.Server) map[string]string {
	want := map[string]string{}
	for _, o := range srv.Objects("contacts") {
		if o.Archived {
			continue
		}
		p := o.Properties
		want[o.ID] = strings.Join([]string{
			p["email"], p["firstname"],
			typed(p["annualrevenue"], "double precision"),
			typed(p["hs_email_optout"], "boolean"),
			typed(p["notes_last_contacted"], "timestamp with time zone"),
			typed(p["date_of_birth"], "date"),
			o.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
			o.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
			o.ID,
		}, "|")
	}
	return want
}

// typed is how pgRows prints a value of a PostgreSQL type: "" for null.
func typed(v, typ string) string {
	if v == "" {
		return ""
	}
	return v + ":" + typ
}

// rowsMatch compares the table with the simulator's live contacts.
func rowsMatch(t *testing.T, pg *pgtest.Cluster, srv *hubspottest.Server) (bool, string) {
	t.Helper()
	got, want := pgRows(t, pg), wantRows(srv)
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if got[id] != want[id] {
			return false, fmt.Sprintf("row %s is %q, want %q", id, got[id], want[id])
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			return false, fmt.Sprintf("row %s is in the table, but its contact is archived", id)
		}
	}
	return true, ""
}

// TestTypedToPostgres: HubSpot contacts reach a PostgreSQL table through
// Conduit's builtin postgres destination (examples/hubspot-to-postgres.yaml)
// with their numbers, booleans, datetimes and dates in columns of those
// types, and updates and deletes follow. The cluster is a throwaway one
// (internal/testkit/pgtest): Debian's postgresql, on loopback.
func TestTypedToPostgres(t *testing.T) {
	start := time.Now()
	pg := pgtest.StartT(t)
	if _, err := pg.Psql(pgtest.ContactsTable); err != nil {
		t.Fatal(err)
	}
	srv := newSim(t, hubspottest.WithFullPropertyCatalog())
	const n = 6
	// notes_last_contacted, a datetime HubSpot calculates, is read-only:
	// the simulator's catalogue gives it.
	ids, err := srv.Seed("contacts", n, func(i int) map[string]string {
		return map[string]string{
			"email":           fmt.Sprintf("pg%d@example.com", i),
			"firstname":       fmt.Sprintf("Pg%d", i),
			"annualrevenue":   fmt.Sprintf("%d.25", 1000*(i+1)),
			"hs_email_optout": fmt.Sprint(i%2 == 0),
			"date_of_birth":   fmt.Sprintf("19%02d-0%d-%02d", 80+i, i+1, 10+i),
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	env := sourceEnv(srv, "")
	env["POSTGRES_URL"] = pg.URL("postgres")
	c := startConduit(t, t.TempDir(), "hubspot-to-postgres.yaml", env)
	c.waitForWhy(t, "the snapshot in PostgreSQL", time.Minute, func() (bool, string) { return rowsMatch(t, pg, srv) })
	t.Logf("snapshot of %d contacts in PostgreSQL after %s; %s: %s", n, time.Since(start).Round(time.Millisecond), ids[0], pgRows(t, pg)[ids[0]])

	// A number and a boolean change; a contact is archived.
	if err := srv.Update("contacts", ids[0], map[string]string{"annualrevenue": "0.5"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Update("contacts", ids[1], map[string]string{"hs_email_optout": "true", "annualrevenue": "-12"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Archive("contacts", ids[2]); err != nil {
		t.Fatal(err)
	}
	c.waitForWhy(t, "the updates and the delete in PostgreSQL", time.Minute, func() (bool, string) { return rowsMatch(t, pg, srv) })
	if got := pgRows(t, pg); len(got) != n-1 || got[ids[2]] != "" {
		t.Fatalf("after the delete the table holds %d rows (%v), want %d without %s", len(got), got, n-1, ids[2])
	}
	t.Logf("updates and delete in PostgreSQL after %s", time.Since(start).Round(time.Millisecond))
}

// crmRows returns, by table, each row's id and the property columns of
// examples/hubspot-crm-to-postgres.yaml, the numbers printed with their
// column's type.
func crmRows(t *testing.T, pg *pgtest.Cluster) map[string]map[string]string {
	t.Helper()
	queries := map[string]string{
		"contacts":  `SELECT id, email, firstname FROM contacts`,
		"companies": `SELECT id, name, domain FROM companies`,
		"deals":     `SELECT id, dealname, coalesce(amount || ':' || pg_typeof(amount), '') FROM deals`,
	}
	out := map[string]map[string]string{}
	for table, q := range queries {
		text, err := pg.Psql(q)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = map[string]string{}
		for _, line := range strings.Split(text, "\n") {
			if id, row, ok := strings.Cut(line, "|"); ok {
				out[table][id] = row
			}
		}
	}
	return out
}

// crmRowsMatch compares the three tables with the simulator's live objects.
func crmRowsMatch(t *testing.T, pg *pgtest.Cluster, srv *hubspottest.Server) (bool, string) {
	t.Helper()
	got := crmRows(t, pg)
	columns := map[string][]string{"contacts": {"email", "firstname"}, "companies": {"name", "domain"}, "deals": {"dealname", "amount"}}
	for table, props := range columns {
		live := 0
		for _, o := range srv.Objects(table) {
			if o.Archived {
				continue
			}
			live++
			var want []string
			for _, p := range props {
				v := o.Properties[p]
				if p == "amount" {
					v = typed(v, "double precision")
				}
				want = append(want, v)
			}
			if w := strings.Join(want, "|"); got[table][o.ID] != w {
				return false, fmt.Sprintf("%s row %s is %q, want %q", table, o.ID, got[table][o.ID], w)
			}
		}
		if len(got[table]) != live {
			return false, fmt.Sprintf("%s holds %d rows, want the %d live objects", table, len(got[table]), live)
		}
	}
	return true, ""
}

// TestSeveralResourcesToPostgres: one source of contacts, companies and
// deals fills one PostgreSQL table each through Conduit's builtin postgres
// destination, which picks the table by the records' opencdc.collection
// (examples/hubspot-crm-to-postgres.yaml); changes to each type follow.
func TestSeveralResourcesToPostgres(t *testing.T) {
	pg := pgtest.StartT(t)
	if _, err := pg.Psql(pgtest.CRMTables); err != nil {
		t.Fatal(err)
	}
	srv := newSim(t)
	ids := map[string][]string{}
	for table, props := range map[string]func(i int) map[string]string{
		"contacts": func(i int) map[string]string {
			return map[string]string{"email": fmt.Sprintf("crm%d@example.com", i), "firstname": fmt.Sprintf("C%d", i)}
		},
		"companies": func(i int) map[string]string {
			return map[string]string{"name": fmt.Sprintf("Co%d", i), "domain": fmt.Sprintf("co%d.example", i)}
		},
		"deals": func(i int) map[string]string {
			return map[string]string{"dealname": fmt.Sprintf("D%d", i), "amount": fmt.Sprintf("%d.5", 100*i)}
		},
	} {
		got, err := srv.Seed(table, 5, props)
		if err != nil {
			t.Fatal(err)
		}
		ids[table] = got
	}
	env := sourceEnv(srv, "")
	env["POSTGRES_URL"] = pg.URL("postgres")
	c := startConduit(t, t.TempDir(), "hubspot-crm-to-postgres.yaml", env)
	c.waitForWhy(t, "the snapshots in PostgreSQL", time.Minute, func() (bool, string) { return crmRowsMatch(t, pg, srv) })

	for _, step := range []error{
		srv.Update("contacts", ids["contacts"][0], map[string]string{"firstname": "Changed"}),
		srv.Update("deals", ids["deals"][1], map[string]string{"amount": "-7"}),
		srv.Archive("companies", ids["companies"][2]),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	if _, err := srv.Create("deals", map[string]string{"dealname": "New", "amount": "1"}); err != nil {
		t.Fatal(err)
	}
	c.waitForWhy(t, "the changes in PostgreSQL", time.Minute, func() (bool, string) { return crmRowsMatch(t, pg, srv) })
}
