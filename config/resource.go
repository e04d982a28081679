package config

import (
	"errors"
	"fmt"
	"strconv"
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
	name = strings.ToLower(name)
	if name == "" {
		return nil
	}
	spellings := map[string][]string{}
	for alias, canonical := range legacyAliases() {
		spellings[canonical] = append(spellings[canonical], alias)
	}
	byDistance := [2][]string{} // the names at distance 0 and 1
	for _, res := range hubspot.ResourceNames() {
		best := len(byDistance)
		for _, cand := range append([]string{res}, spellings[res]...) {
			best = min(best, editDistance(name, strings.ToLower(cand)))
		}
		if best < len(byDistance) {
			byDistance[best] = append(byDistance[best], strconv.Quote(res))
		}
	}
	if len(byDistance[0]) > 0 {
		return byDistance[0]
	}
	return byDistance[1]
}

// editDistance is the Levenshtein distance between a and b: the fewest
// single-rune insertions, deletions and substitutions that turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// IsTemplate reports whether a resource setting is a Go template over the
// record, which the destination takes to pick each record's resource.
func IsTemplate(setting string) bool { return strings.Contains(setting, "{{") }
