package destination

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/configtest"
	"github.com/matryer/is"
)

// TestValidate: the destination's resource must be writable; a name that
// is no resource gets the resource rule's error alone.
func TestValidate(t *testing.T) {
	valid := func() Config {
		return Config{Config: config.Config{AccessToken: "pat-na1-x", Resource: "contacts", MaxRetries: 4, BaseURL: "https://api.hubapi.com", RateLimitPercent: 100}, ReadOnlyProperties: ReadOnlyFail,
			AssociationsMode: AssociationsAdd, AssociationsWait: 5 * time.Minute}
	}
	configtest.Run(t, valid, []configtest.Case[Config]{
		{Name: "contacts", Change: func(c *Config) { c.Resource = "contacts" }, Want: ""},
		{Name: "2-12345", Change: func(c *Config) { c.Resource = "2-12345" }, Want: ""},
		{Name: "owners", Change: func(c *Config) { c.Resource = "owners" }, Want: `"resource": owners is read-only: HubSpot's API creates, updates and deletes none of them, so the destination cannot write it (the source reads it)`},
		{Name: "crm.owners", Change: func(c *Config) { c.Resource = "crm.owners" }, Want: `"resource": owners is read-only: HubSpot's API creates, updates and deletes none of them, so the destination cannot write it (the source reads it)`},
		{Name: "cms.urlRedirects", Change: func(c *Config) { c.Resource = "cms.urlRedirects" }, Want: ""},
		{Name: "cms.hubdb.tables", Change: func(c *Config) { c.Resource = "cms.hubdb.tables" }, Want: ""},
		{Name: "widgets", Change: func(c *Config) { c.Resource = "widgets" }, Want: `"resource": unknown resource "widgets": want one of contacts, companies, deals, tickets, products, line_items, quotes, calls, emails, meetings, notes, tasks, feedback_submissions, leads, invoices, orders, carts, discounts, fees, taxes, appointments, courses, listings, services, subscriptions, communications, postal_mail, users, projects, contracts, commerce_payments, goal_targets, partner_clients, partner_services, owners, url_redirects, blog_tags, blog_posts, blog_authors, landing_pages, site_pages, hubdb_tables, deal_pipelines, deal_pipeline_stages, ticket_pipelines, ticket_pipeline_stages, lists, list_memberships, a standard object type id like 0-1, or a custom object's type id like 2-12345 or fully qualified name like p1234567_cars`},
		{Name: "lists", Change: func(c *Config) { c.Resource = "lists" }, Want: `"resource": lists is read-only here: the destination writes no lists or list members (the source reads them)`},
		{Name: "list_memberships", Change: func(c *Config) { c.Resource = "list_memberships" }, Want: `"resource": list_memberships is read-only here: the destination writes no lists or list members (the source reads them)`},
		{Name: "crm.feedbackSubmissions", Change: func(c *Config) { c.Resource = "crm.feedbackSubmissions" }, Want: `"resource": crm.feedbackSubmissions (feedback_submissions) is read-only: HubSpot's API creates, updates and deletes none of them, so the destination cannot write it (the source reads it)`},
		{Name: "associationsWait 0", Change: func(c *Config) { c.AssociationsWait = 0 }, Want: `"associationsWait": 0s is not positive`},
	}) // The unknown name breaks one rule, the resource rule, not also the
	// destination's.
	c := valid()
	c.Resource = "widgets"
	is := is.New(t)
	err := c.Validate(context.Background())
	is.True(err != nil)
	is.True(!strings.Contains(err.Error(), "\n"))
}
