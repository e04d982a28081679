package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/pgtest"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/simdata"
)

// The examples that write into HubSpot or PostgreSQL: their progress is a
// count of what the destination holds (counter).

// writeLines writes a file of JSON lines into work.
func writeLines(work, name string, lines []string) (string, error) {
	path := filepath.Join(work, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return path, nil
}

// liveCounts counts srv's live objects of each type.
func liveCounts(srv *hubspottest.Server, types ...string) func() (string, error) {
	return func() (string, error) {
		parts := make([]string, len(types))
		for i, typ := range types {
			parts[i] = fmt.Sprintf("%d %s", len(srv.LiveIDs(typ)), typ)
		}
		return strings.Join(parts, ", "), nil
	}
}

// addMirrorID gives srv's types a custom property mirror_id with unique
// values, on which the examples upsert and link.
func addMirrorID(srv *hubspottest.Server, types ...string) error {
	for _, typ := range types {
		if err := srv.AddProperty(typ, hubspottest.PropertyDef{Name: "mirror_id", Type: hubspottest.TypeString, Unique: true}); err != nil {
			return fmt.Errorf("add mirror_id to %s: %w", typ, err)
		}
	}
	return nil
}

// twoAccounts starts the simulators of an example from one account to
// another: mirror are the types of the second that get mirror_id.
func (s *setup) twoAccounts(mirror ...string) (from, to *hubspottest.Server, err error) {
	if from, err = s.sim(); err != nil {
		return nil, nil, err
	}
	if to, err = s.sim(); err != nil {
		return nil, nil, err
	}
	s.env = append(sourceEnv(from), "HUBSPOT_DEST_ACCESS_TOKEN="+to.Token, "HUBSPOT_DEST_BASE_URL="+to.URL)
	return from, to, addMirrorID(to, mirror...)
}

// fileToHubSpot writes contacts from a file into the simulator;
// file-to-hubspot-dlq's file has two records with a value HubSpot rejects,
// which go to the dead-letter file.
func fileToHubSpot(name string) prepareFunc {
	return func(_ context.Context, out io.Writer, work string, _ options) (*setup, error) {
		s := &setup{}
		srv, err := s.sim()
		if err != nil {
			return s, err
		}
		dlq := name == "file-to-hubspot-dlq"
		var lines []string
		for i := range 250 {
			optout := "false"
			if dlq && i%100 == 7 {
				optout = fmt.Sprintf("maybe %d", i) // not a boolean: HubSpot says 400
			}
			lines = append(lines, fmt.Sprintf(`{"email":"file%d@example.com","firstname":"File %d","hs_email_optout":%q}`, i, i, optout))
		}
		in, err := writeLines(work, "contacts.jsonl", lines)
		if err != nil {
			return s, err
		}
		fmt.Fprintf(out, "HubSpot simulator at %s, empty; %d contacts to write in %s\n", srv.URL, len(lines), in)
		s.env = []string{"HUBSPOT_ACCESS_TOKEN=" + srv.Token, "HUBSPOT_BASE_URL=" + srv.URL, "INPUT_FILE=" + in}
		s.kept = []string{"input: " + in}
		count := liveCounts(srv, "contacts")
		if dlq {
			deadLetters := filepath.Join(work, "rejected.jsonl")
			s.env = append(s.env, "DLQ_FILE="+deadLetters)
			s.kept = append(s.kept, "dead letters: "+deadLetters)
			inHubSpot := count
			count = func() (string, error) {
				n, _ := inHubSpot()
				b, _ := os.ReadFile(deadLetters) // none yet: 0
				return fmt.Sprintf("%s in HubSpot, %d records in the dead-letter file", n, strings.Count(string(b), "\n")), nil
			}
		}
		s.view = newCounter(out, count)
		return s, nil
	}
}

// filesToHubSpotLinks writes companies and deals from two files, each deal
// linked to a company and a contact by mirror_id.
func filesToHubSpotLinks(_ context.Context, out io.Writer, work string, _ options) (*setup, error) {
	s := &setup{}
	srv, err := s.sim()
	if err != nil {
		return s, err
	}
	if err := addMirrorID(srv, "contacts", "companies", "deals"); err != nil {
		return s, err
	}
	for i := range 5 {
		if _, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("ct%d@example.com", i), "mirror_id": fmt.Sprintf("ct-%d", i)}); err != nil {
			return s, fmt.Errorf("create a contact: %w", err)
		}
	}
	var companies, deals []string
	for i := range 50 {
		companies = append(companies, fmt.Sprintf(`{"mirror_id":"co-%d","name":"Company %d"}`, i, i))
	}
	for i := range 100 {
		deals = append(deals, fmt.Sprintf(`{"mirror_id":"d-%d","dealname":"Deal %d","associations":{"companies":["co-%d"],"contacts":["ct-%d"]}}`, i, i, (i*7)%50, i%5))
	}
	coFile, err := writeLines(work, "companies.jsonl", companies)
	if err != nil {
		return s, err
	}
	dealFile, err := writeLines(work, "deals.jsonl", deals)
	if err != nil {
		return s, err
	}
	fmt.Fprintf(out, "HubSpot simulator at %s: 5 contacts, mirror_id in contacts, companies and deals; %d companies and %d deals to write\n",
		srv.URL, len(companies), len(deals))
	s.env = []string{"HUBSPOT_ACCESS_TOKEN=" + srv.Token, "HUBSPOT_BASE_URL=" + srv.URL, "COMPANIES_FILE=" + coFile, "DEALS_FILE=" + dealFile}
	s.kept = []string{"input: " + coFile + ", " + dealFile}
	objects := liveCounts(srv, "companies", "deals")
	s.view = newCounter(out, func() (string, error) {
		n, _ := objects()
		links := 0
		for _, typ := range []string{"companies", "contacts"} {
			all, err := srv.AllLinks("deals", typ)
			if err != nil {
				return "", fmt.Errorf("read the links: %w", err)
			}
			for _, l := range all {
				links += len(l)
			}
		}
		return fmt.Sprintf("%s, %d links of deals in HubSpot", n, links), nil
	})
	return s, nil
}

// hubspotToHubSpot mirrors types from one simulator into another, links
// between them too; the second has mirror_id in each type, on which the
// CRM example upserts.
func hubspotToHubSpot(types []string, links [][2]string) prepareFunc {
	return func(ctx context.Context, out io.Writer, _ string, _ options) (*setup, error) {
		s := &setup{}
		from, to, err := s.twoAccounts(types...)
		if err != nil {
			return s, err
		}
		afterSnapshot, err := mutating(ctx, out, from, 100, types...)
		if err != nil {
			return s, err
		}
		for i, pair := range links {
			if _, err := simdata.SeedLinks(from, pair[0], pair[1], 2, uint64(i+1)); err != nil {
				return s, fmt.Errorf("link %s to %s: %w", pair[0], pair[1], err)
			}
		}
		fmt.Fprintf(out, "HubSpot simulator (the second account) at %s, empty\n", to.URL)
		s.view = newCounter(out, liveCounts(to, types...)).then(afterSnapshot, func() bool { return len(to.LiveIDs(types[0])) >= 100 })
		return s, nil
	}
}

// hubspotCMSToHubSpot mirrors blog posts, tags and URL redirects.
func hubspotCMSToHubSpot(_ context.Context, out io.Writer, _ string, _ options) (*setup, error) {
	s := &setup{}
	from, to, err := s.twoAccounts()
	if err != nil {
		return s, err
	}
	const n = 20
	for i := range n {
		if _, err := from.AddCMS(hubspottest.BlogPosts, map[string]any{"name": fmt.Sprintf("Post %d", i), "contentGroupId": "77",
			"slug": fmt.Sprintf("post-%d", i), "postBody": "<p>body</p>", "publishDate": "2026-01-02T03:04:05Z"}); err != nil {
			return s, fmt.Errorf("add a blog post: %w", err)
		}
		if _, err := from.AddBlogTag(hubspottest.BlogTag{Name: fmt.Sprintf("tag %d", i), Language: "en"}); err != nil {
			return s, fmt.Errorf("add a blog tag: %w", err)
		}
		if _, err := from.AddRedirect(hubspottest.Redirect{RoutePrefix: fmt.Sprintf("/old/%d", i),
			Destination: fmt.Sprintf("https://example.com/%d", i), RedirectStyle: 301}); err != nil {
			return s, fmt.Errorf("add a redirect: %w", err)
		}
	}
	fmt.Fprintf(out, "HubSpot simulator at %s: %d blog posts, blog tags and URL redirects each; the second account at %s, empty\n", from.URL, n, to.URL)
	s.view = newCounter(out, func() (string, error) {
		return fmt.Sprintf("%d blog posts, %d blog tags, %d URL redirects in the second account",
			len(to.LiveCMSDocs(hubspottest.BlogPosts)), len(to.LiveBlogTags()), len(to.LiveRedirects())), nil
	})
	return s, nil
}

// hubspotToPostgres reads the tables' types from the simulator into a
// throwaway PostgreSQL cluster in work (Debian's postgresql), whose tables
// ddl creates.
func hubspotToPostgres(ddl string, tables ...string) prepareFunc {
	return func(ctx context.Context, out io.Writer, work string, _ options) (*setup, error) {
		s := &setup{}
		// The cluster goes with the example: tens of MB the work folder,
		// which stays, need not keep.
		dir := filepath.Join(work, "postgres")
		s.closers = append(s.closers, func() { _ = os.RemoveAll(dir) })
		if err := os.Mkdir(dir, 0o700); err != nil {
			return s, fmt.Errorf("PostgreSQL's folder: %w", err)
		}
		pg, err := pgtest.Start(dir)
		if err != nil {
			return s, fmt.Errorf("start PostgreSQL: %w", err)
		}
		s.closers = append(s.closers, func() {
			if err := pg.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		})
		if _, err := pg.Psql(ddl); err != nil {
			return s, fmt.Errorf("create the tables: %w", err)
		}
		noun := "table"
		if len(tables) > 1 {
			noun = "tables"
		}
		fmt.Fprintf(out, "PostgreSQL on 127.0.0.1:%d, %s %s created; look with %s\n", pg.Port, noun, strings.Join(tables, ", "), pg.PsqlCommand())
		srv, err := s.sim(hubspottest.WithFullPropertyCatalog())
		if err != nil {
			return s, err
		}
		afterSnapshot, err := mutating(ctx, out, srv, 200, tables...)
		if err != nil {
			return s, err
		}
		s.env = append(sourceEnv(srv), "POSTGRES_URL="+pg.URL("postgres"))
		s.view = newCounter(out, func() (string, error) {
			parts := make([]string, len(tables))
			for i, table := range tables {
				n, err := pg.Psql("SELECT count(*) FROM " + table)
				if err != nil {
					return "", fmt.Errorf("count the rows: %w", err)
				}
				parts[i] = strings.TrimSpace(n) + " rows in " + table
			}
			return strings.Join(parts, ", "), nil
		}).then(afterSnapshot, func() bool {
			n, err := pg.Psql("SELECT count(*) FROM " + tables[0])
			return err == nil && strings.TrimSpace(n) == "200"
		})
		return s, nil
	}
}
