package hubspot

import (
	"fmt"
	"strings"
)

// APIVersion is the family of paths the client calls. Since 30 March 2026
// HubSpot's REST APIs carry a date in the path (/crm/objects/2026-09/...);
// the numbered paths (/crm/v3/..., /crm/v4/...) are "legacy": v4 is
// unsupported from 30 March 2027 and v1 to v3 from September 2027
// (https://developers.hubspot.com/docs/api-reference/legacy/migration-guide,
// https://developers.hubspot.com/changelog/legacy-apis-and-legacy-apps-whats-going-unsupported-and-when).
// For the calls this client makes, the bodies and answers of the versions
// are the same; the paths are not (the specs side by side in
// github.com/HubSpot/HubSpot-public-api-spec-collection).
type APIVersion string

// The versions the client speaks.
const (
	// Version202609 is the latest date version, HubSpot's advice for new
	// integrations (https://developers.hubspot.com/docs/api-reference/latest/overview),
	// and the first that enforces the account's property validation rules
	// on CRM writes (changelog of 2026-08-11).
	Version202609 APIVersion = "2026-09"
	Version202603 APIVersion = "2026-03"
	// VersionLegacy is the numbered paths the connector called before the
	// date versions.
	VersionLegacy APIVersion = "legacy"

	DefaultAPIVersion = Version202609
)

// APIVersions lists the versions, the default first.
func APIVersions() []APIVersion {
	return []APIVersion{Version202609, Version202603, VersionLegacy}
}

// ParseAPIVersion checks a version's name; "" is the default.
func ParseAPIVersion(s string) (APIVersion, error) {
	if s == "" {
		return DefaultAPIVersion, nil
	}
	for _, v := range APIVersions() {
		if string(v) == s {
			return v, nil
		}
	}
	names := make([]string, 0, 3)
	for _, v := range APIVersions() {
		names = append(names, string(v))
	}
	return "", fmt.Errorf("unknown API version %q: want one of %s", s, strings.Join(names, ", "))
}

// API is one of HubSpot's APIs whose path carries its version.
type API int

// The APIs the client calls.
const (
	APIObjects API = iota
	APIProperties
	APIAssociations
	APIOwners
	APISchemas
	APIBlogs
	APIURLRedirects
	APIPages
	APIHubDB
	APIAccountInfo
	APIPipelines
	APILists
	numAPIs
)

// APIPaths is one API's row of the version table: the path prefix that
// serves the API at each version. Where an API has no path of a version
// yet, its column holds the newest date version that serves it, so the
// path itself names the version called.
type APIPaths struct {
	// Name names the API for people: the README and errors.
	Name                     string
	Legacy, V202603, V202609 string
}

// Prefix is the row's path prefix at version v.
func (p APIPaths) Prefix(v APIVersion) string {
	switch v {
	case VersionLegacy:
		return p.Legacy
	case Version202603:
		return p.V202603
	default:
		return p.V202609
	}
}

// VersionTable is the one table of the paths the client builds: one row an
// API, one column a version. It is built on each call so that no caller
// can change it for another. Each path is the one of the API's spec in
// HubSpot's spec collection, PublicApiSpecs/<area>/<api>/Rollouts/<n>/<version>/:
//   - CRM/Objects (and each object's own spec, the same paths),
//     CRM/Properties, CRM/Associations and CRM/Associations Schema (labels),
//     CRM/Crm Owners, CRM/Schemas, CMS/Posts, CMS/Authors, CMS/Tags,
//     CMS/Url Redirects, Account/Account Info, CRM/Pipelines, CRM/Lists: v3 (v4 for associations),
//     2026-03 and 2026-09;
//   - CMS/Pages and CMS/Hubdb: v3 and 2026-03 only, so they are called at
//     2026-03 when the client speaks 2026-09.
//
// The legacy column is the numbered paths of the same specs; the URL
// redirects stay at /cms/v3/url-redirects, the path of the v3 spec's calls
// by id, which the connector has always listed at too.
func VersionTable() [numAPIs]APIPaths {
	return [numAPIs]APIPaths{
		APIObjects:      {"CRM objects", "/crm/v3/objects", "/crm/objects/2026-03", "/crm/objects/2026-09"},
		APIProperties:   {"CRM properties", "/crm/v3/properties", "/crm/properties/2026-03", "/crm/properties/2026-09"},
		APIAssociations: {"CRM associations", "/crm/v4/associations", "/crm/associations/2026-03", "/crm/associations/2026-09"},
		APIOwners:       {"CRM owners", "/crm/v3/owners", "/crm/owners/2026-03", "/crm/owners/2026-09"},
		APISchemas:      {"CRM object schemas", "/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas", "/crm-object-schemas/2026-09/schemas"},
		APIBlogs:        {"CMS blog posts, authors and tags", "/cms/v3/blogs", "/cms/blogs/2026-03", "/cms/blogs/2026-09"},
		APIURLRedirects: {"CMS URL redirects", "/cms/v3/url-redirects", "/cms/url-redirects/2026-03", "/cms/url-redirects/2026-09"},
		APIPages:        {"CMS pages", "/cms/v3/pages", "/cms/pages/2026-03", "/cms/pages/2026-03"},
		APIHubDB:        {"HubDB", "/cms/v3/hubdb", "/cms/hubdb/2026-03", "/cms/hubdb/2026-03"},
		APIAccountInfo:  {"account info", "/account-info/v3", "/account-info/2026-03", "/account-info/2026-09"},
		APIPipelines:    {"CRM pipelines", "/crm/v3/pipelines", "/crm/pipelines/2026-03", "/crm/pipelines/2026-09"},
		APILists:        {"CRM lists", "/crm/v3/lists", "/crm/lists/2026-03", "/crm/lists/2026-09"},
	}
}

// apiPrefixes are the table's column of one version.
type apiPrefixes [numAPIs]string

func prefixesOf(v APIVersion) apiPrefixes {
	var out apiPrefixes
	for api, row := range VersionTable() {
		out[api] = row.Prefix(v)
	}
	return out
}
