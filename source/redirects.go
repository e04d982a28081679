package source

import (
	"strconv"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// redirectFields are the fields of a URL redirect as HubSpot documents
// them (https://developers.hubspot.com/docs/api-reference/legacy/cms/url-redirects/update-url-redirect),
// besides id, created and updated, which become the records' id, createdAt
// and updatedAt. They type the payload and make its schema as property
// definitions do for CRM objects: redirectStyle and precedence are
// numbers, the is* flags booleans, the rest strings.
func redirectFields() []hubspot.Property {
	str := func(name string) hubspot.Property {
		return hubspot.Property{Name: name, Type: "string", FieldType: "text"}
	}
	num := func(name string) hubspot.Property {
		return hubspot.Property{Name: name, Type: "number", FieldType: "number"}
	}
	flag := func(name string) hubspot.Property {
		return hubspot.Property{Name: name, Type: "bool", FieldType: "booleancheckbox"}
	}
	return []hubspot.Property{
		str("destination"),
		flag("isMatchFullUrl"),
		flag("isMatchQueryString"),
		flag("isOnlyAfterNotFound"),
		flag("isPattern"),
		flag("isProtocolAgnostic"),
		flag("isTrailingSlashOptional"),
		num("precedence"),
		num("redirectStyle"),
		str("routePrefix"),
	}
}

// redirectItem turns a redirect into an item with its fields as
// properties, written as HubSpot's properties are, which the shape types
// back by redirectFields. HubSpot's redirects have no archive time: a
// deleted one (archived) was deleted at its updated time.
func redirectItem(r hubspot.URLRedirect, archived bool) (item, error) {
	id, err := parseID(r.ID)
	if err != nil {
		return item{}, err
	}
	flag := func(b bool) *string { return hubspot.String(strconv.FormatBool(b)) }
	num := func(n int) *string { return hubspot.String(strconv.Itoa(n)) }
	props := hubspot.Properties{
		"destination":             hubspot.String(r.Destination),
		"isMatchFullUrl":          flag(r.IsMatchFullURL),
		"isMatchQueryString":      flag(r.IsMatchQueryString),
		"isOnlyAfterNotFound":     flag(r.IsOnlyAfterNotFound),
		"isPattern":               flag(r.IsPattern),
		"isProtocolAgnostic":      flag(r.IsProtocolAgnostic),
		"isTrailingSlashOptional": flag(r.IsTrailingSlashOptional),
		"precedence":              num(r.Precedence),
		"redirectStyle":           num(r.RedirectStyle),
		"routePrefix":             hubspot.String(r.RoutePrefix),
	}
	it := item{id: r.ID, key: keyset{ts: r.Updated.UTC(), id: id}, props: props, createdAt: r.Created.UTC()}
	if archived {
		it.archivedAt = timePtr(r.Updated.UTC())
	}
	return it, nil
}
