package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// TestFilesToHubSpotLinks: in real Conduit, two file sources of companies
// and deals, read side by side, write into one account, each deal linked
// to the companies and contacts its associations field names in the
// simple shape (mirror_ids); links to companies that came after their
// deal are made once they do. The simulator's links then equal the files'.
func TestFilesToHubSpotLinks(t *testing.T) {
	dir := t.TempDir()
	srv := newSim(t)
	for _, typ := range []string{"contacts", "companies", "deals"} {
		if err := srv.AddProperty(typ, hubspottest.PropertyDef{Name: "mirror_id", Type: hubspottest.TypeString, Unique: true}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		if _, err := srv.Create("contacts", map[string]string{"email": fmt.Sprintf("ct%d@example.com", i), "mirror_id": fmt.Sprintf("ct-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	const companies, deals = 150, 300
	var coLines, dealLines []string
	want := map[string][]string{} // deal mirror_id -> linked mirror_ids
	for i := range companies {
		coLines = append(coLines, fmt.Sprintf(`{"mirror_id":"co-%d","name":"Company %d"}`, i, i))
	}
	for i := range deals {
		co, ct := fmt.Sprintf("co-%d", (i*7)%companies), fmt.Sprintf("ct-%d", i%5)
		dealLines = append(dealLines, fmt.Sprintf(`{"mirror_id":"d-%d","dealname":"Deal %d","associations":{"companies":[%q],"contacts":[%q]}}`, i, i, co, ct))
		want[fmt.Sprintf("d-%d", i)] = []string{co + "[]", ct + "[]"} // no labels
	}
	coFile, dealFile := filepath.Join(dir, "companies.jsonl"), filepath.Join(dir, "deals.jsonl")
	for path, lines := range map[string][]string{coFile: coLines, dealFile: dealLines} {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := startConduit(t, dir, "files-to-hubspot-links.yaml", map[string]string{
		"HUBSPOT_ACCESS_TOKEN": srv.Token, "HUBSPOT_BASE_URL": srv.URL, "COMPANIES_FILE": coFile, "DEALS_FILE": dealFile,
	})
	c.waitForWhy(t, "every deal linked as its line says", time.Minute, func() (bool, string) {
		got, err := dealLinksByMirror(srv)
		if err != nil {
			return false, err.Error()
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return false, fmt.Sprintf("%d of %d deals linked", len(got), deals)
		}
		return true, ""
	})
	if n := len(srv.Objects("companies")); n != companies {
		t.Errorf("%d companies, want %d", n, companies)
	}
	if n := len(srv.Objects("deals")); n != deals {
		t.Errorf("%d deals, want %d", n, deals)
	}
	t.Logf("calls: %v", srv.Calls())
}

// dealLinksByMirror returns each deal's linked companies and contacts by
// mirror_id, companies first.
func dealLinksByMirror(srv *hubspottest.Server) (map[string][]string, error) {
	mirror := mirrorIDs(srv, "contacts", "companies", "deals")
	out := map[string][]string{}
	for _, typ := range []string{"companies", "contacts"} {
		links, err := linksBy(srv, [2]string{"deals", typ}, func(typ, id string) string { return mirror[typ+"/"+id] })
		if err != nil {
			return nil, err
		}
		for deal, ends := range links {
			out[deal] = append(out[deal], ends...)
		}
	}
	return out, nil
}
