package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/matryer/is"
)

// TestLookupResourceLegacyNames: the earlier Conduit connector's spellings
// name the same resources as HubSpot's own names.
func TestLookupResourceLegacyNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"contacts", "contacts"},
		{" contacts ", "contacts"},
		{"crm.contacts", "contacts"},
		{"crm.lineItems", "line_items"},
		{"lineItems", "line_items"},
		{"line-items", "line_items"},
		{"crm.notes", "notes"},
		{"crm.owners", "owners"},
		{"0-1", "contacts"},
		{"p1234567_cars", "p1234567_cars"},
		{"cms.urlRedirects", "url_redirects"},
		{"url_redirects", "url_redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r, err := config.LookupResource(tt.name)
			is.NoErr(err)
			is.Equal(r.Name, tt.want)
		})
	}
	for _, bad := range []string{"", "crm.", "cms.blogs.widgets", "crm.widgets"} {
		_, err := config.LookupResource(bad)
		var unknown *hubspot.UnknownResourceError
		if !errors.As(err, &unknown) || unknown.Name != bad || !strings.Contains(err.Error(), "contacts") {
			t.Errorf("LookupResource(%q) = %v, want an unknown resource error naming it and listing the resources", bad, err)
		}
	}
}

// TestLookupResourceEarlierConnectorNames: every resource of the earlier
// Conduit HubSpot connector is served under its name and its short one.
func TestLookupResourceEarlierConnectorNames(t *testing.T) {
	tests := []struct {
		name  string
		short string
		kind  hubspot.Kind
	}{
		{"cms.blogs.authors", "blog_authors", hubspot.KindCMSObject},
		{"cms.blogs.posts", "blog_posts", hubspot.KindCMSObject},
		{"cms.blogs.tags", "blog_tags", hubspot.KindCMSObject},
		{"cms.pages.landing", "landing_pages", hubspot.KindCMSObject},
		{"cms.pages.site", "site_pages", hubspot.KindCMSObject},
		{"cms.hubdb.tables", "hubdb_tables", hubspot.KindCMSObject},
		{"cms.urlRedirects", "url_redirects", hubspot.KindCMSObject},
		{"crm.feedbackSubmissions", "feedback_submissions", hubspot.KindCRMObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			for _, name := range []string{tt.name, tt.short} {
				r, err := config.LookupResource(name)
				is.NoErr(err)
				is.Equal(r.Name, tt.short)
				is.Equal(r.Kind, tt.kind)
			}
		})
	}
}

// TestLookupResourceSuggests: a name one edit from a resource's name or
// alias, or equal to it but for case, gets a "did you mean"; others do not.
func TestLookupResourceSuggests(t *testing.T) {
	tests := []struct {
		name string
		want string // the hint, "" for none
	}{
		{"contact", `(did you mean "contacts"?)`},
		{"Contacts", `(did you mean "contacts"?)`},
		{"CONTACTS", `(did you mean "contacts"?)`},
		{"crm.contact", `(did you mean "contacts"?)`},
		{"contacs", `(did you mean "contacts"?)`},
		{"contactss", `(did you mean "contacts"?)`},
		{"deal", `(did you mean "deals"?)`},
		{"lineitems", `(did you mean "line_items"?)`},
		{"lineItem", `(did you mean "line_items"?)`},
		{"line_item", `(did you mean "line_items"?)`},
		{"owner", `(did you mean "owners"?)`},
		{"cont", ""},
		{"contatcs", ""}, // a swap is two edits
		{"widgets", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.LookupResource(tt.name)
			if err == nil {
				t.Fatalf("LookupResource(%q) found a resource, want an error", tt.name)
			}
			msg := err.Error()
			if tt.want == "" && strings.Contains(msg, "did you mean") || tt.want != "" && !strings.Contains(msg, tt.want) {
				t.Fatalf("LookupResource(%q): %v, want the hint %q", tt.name, err, tt.want)
			}
			if !strings.HasPrefix(msg, `unknown resource "`+tt.name+`"`) {
				t.Fatalf("LookupResource(%q): %v, want it to start with the name as written", tt.name, err)
			}
		})
	}
}
