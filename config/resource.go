package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// legacyPrefix starts the resource names of the earlier Conduit HubSpot
// connector ("crm.contacts"), which keep working here.
const legacyPrefix = "crm."

// legacyAliases are the earlier Conduit connector's spellings of resources
// whose HubSpot name differs, after legacyPrefix, and the dashed spelling
// users write.
func legacyAliases() map[string]string {
	return map[string]string{"lineItems": "line_items", "line-items": "line_items", "feedbackSubmissions": "feedback_submissions"}
}

// LookupResource finds the resource a user names: HubSpot's own name, type
// id or custom object name (hubspot.LookupResource), or the earlier Conduit
// connector's spelling ("crm.contacts", "crm.lineItems", "cms.urlRedirects").
// An unknown name gets a "did you mean" for the names one edit away, or equal
// but for case.
func LookupResource(name string) (hubspot.Resource, error) {
	trimmed := strings.TrimSpace(name)
	bare := strings.TrimPrefix(trimmed, legacyPrefix)
	if canonical, ok := legacyAliases()[bare]; ok {
		bare = canonical
	}
	r, err := hubspot.LookupResource(bare)
	var unknown *hubspot.UnknownResourceError
	if errors.As(err, &unknown) {
		unknown.Name = name
		if near := nearResourceNames(bare); len(near) > 0 {
			unknown.Hint = fmt.Sprintf("(did you mean %s?)", strings.Join(near, " or "))
		}
	}
	return r, err
}

// nearResourceNames returns, quoted and in table order, the names of the
// resources whose name or alias is one edit from name, or equal to it but
// for case: the typos a user makes, such as "contact" for "contacts". A
// name equal but for case names that resource alone ("Contacts" is
// contacts, not also contracts, one edit away).
func nearResourceNames(name string) []string {
	spellings := map[string][]string{}
	for alias, canonical := range legacyAliases() {
		spellings[canonical] = append(spellings[canonical], alias)
	}
	return NearNames(name, hubspot.ResourceNames(), spellings, 1)
}

// IsTemplate reports whether a resource setting is a Go template over the
// record, which the destination takes to pick each record's resource.
func IsTemplate(setting string) bool { return strings.Contains(setting, "{{") }
