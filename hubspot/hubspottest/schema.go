package hubspottest

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// Property types, as HubSpot's properties API names them.
const (
	TypeString      = "string"
	TypeNumber      = "number"
	TypeDate        = "date"
	TypeDateTime    = "datetime"
	TypeBool        = "bool"
	TypeEnumeration = "enumeration"
	TypePhoneNumber = "phone_number"
)

// PropertyDef defines one property of an object type.
type PropertyDef struct {
	Name     string
	Type     string
	ReadOnly bool
	// Unique properties reject a second object with the same value, and
	// serve as idProperty for get, batch read and upsert.
	Unique bool
	// UnlistedUnique is a Unique property that the properties API still
	// reports with hasUniqueValue false, as HubSpot does for contacts'
	// email (docs/hubspot.md, "Uniqueness").
	UnlistedUnique bool
	// FieldType is how HubSpot shows the property ("text", "select",
	// "checkbox", "calculation_equation"...); "" takes the usual one of Type.
	FieldType string
	// Label and GroupName default to the name and the type's information
	// group; Description is HubSpot's help text.
	Label       string
	GroupName   string
	Description string
	// Options are the allowed values of an enumeration; none leaves its
	// values unchecked, as for hubspot_owner_id, whose values are owners.
	Options []PropertyOption
	// Archived and ArchivedAt are set on properties archived through the
	// properties API.
	Archived   bool
	ArchivedAt time.Time
}

// PropertyOption is one allowed value of an enumeration property, as the
// properties API shows it.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// objectType is what the simulator knows of one CRM object type.
type objectType struct {
	name     string
	id       string // HubSpot's object type id of a standard type ("0-1")
	created  string // created-time property
	modified string // last-modified-time property
	// defaults are the properties returned when a request names none.
	defaults []string
	props    []PropertyDef
	byName   map[string]PropertyDef
	// archived are the properties archived through the properties API, in
	// the order they were archived: reads, writes and search no longer see
	// them.
	archived []PropertyDef
	// merges: records of the type can be merged (docs/hubspot.md, "Merges":
	// contacts, companies, deals, tickets), and list what they absorbed in
	// hs_merged_object_ids.
	merges bool
	// aliases are other names a path may give the type ("payments").
	aliases []string
	// ops are the calls HubSpot's API offers for the type; a write it
	// lacks is refused (feedback submissions write nothing, partner
	// clients only update). HubSpot itself makes such objects, which the
	// server's own Create, Update and Archive stand for.
	ops hubspot.Ops
	// slots number the properties its objects' versions hold values of.
	slots *propSlots
}

func newObjectType(name, created, modified string, defaults []string, writable ...PropertyDef) *objectType {
	// Every call, as for a custom object; standardTypes narrows it.
	t := &objectType{name: name, created: created, modified: modified, byName: map[string]PropertyDef{}, ops: ^hubspot.Ops(0), slots: newPropSlots()}
	// Every type has these, and nobody may write them.
	system := []PropertyDef{
		{Name: "hs_object_id", Type: TypeNumber, ReadOnly: true},
		{Name: created, Type: TypeDateTime, ReadOnly: true},
		{Name: modified, Type: TypeDateTime, ReadOnly: true},
		{Name: "hs_object_source", Type: TypeString, ReadOnly: true},
		{Name: "hs_updated_by_user_id", Type: TypeNumber, ReadOnly: true},
	}
	for _, p := range append(system, writable...) {
		if _, dup := t.byName[p.Name]; dup {
			continue
		}
		t.props = append(t.props, p)
		t.byName[p.Name] = p
	}
	t.defaults = append([]string{created, modified, "hs_object_id"}, defaults...)
	return t
}

func str(names ...string) []PropertyDef {
	out := make([]PropertyDef, len(names))
	for i, n := range names {
		out[i] = PropertyDef{Name: n, Type: TypeString}
	}
	return out
}

func prop(name, typ string) PropertyDef { return PropertyDef{Name: name, Type: typ} }

func join(groups ...[]PropertyDef) []PropertyDef {
	var out []PropertyDef
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// standardTypes builds the CRM object types HubSpot has in every account:
// one for each CRM object row of the client's resource table
// (hubspot.Resources()), with the row's type id, other names, created and
// modified properties, default properties, operations and merges, so that
// the simulator serves every standard type the connector knows. The first
// types HubSpot had get the properties HubSpot's docs give them
// (knownTypeProperties), the others a few (libraryProperties).
func standardTypes() map[string]*objectType {
	known := knownTypeProperties()
	m := map[string]*objectType{}
	for _, res := range hubspot.Resources() {
		if res.Kind != hubspot.KindCRMObject || res.IsOwners {
			continue
		}
		props, ok := known[res.Name]
		if !ok {
			props = libraryProperties(res.Name)
		}
		t := newObjectType(res.Name, res.CreatedProperty, res.ModifiedProperty, res.DefaultProperties, props...)
		t.id, t.aliases, t.ops = res.TypeID, res.Aliases, res.Ops
		if res.Merges {
			t.merges = true
			merged := PropertyDef{Name: mergedIDsProperty, Type: TypeEnumeration, ReadOnly: true}
			t.props = append(t.props, merged)
			t.byName[merged.Name] = merged
		}
		m[res.Name] = t
	}
	return m
}

// knownTypeProperties are the common properties of the first CRM object
// types, by type.
func knownTypeProperties() map[string][]PropertyDef {
	owner := prop("hubspot_owner_id", TypeEnumeration)
	engagement := func(fields ...string) []PropertyDef {
		return join([]PropertyDef{prop("hs_timestamp", TypeDateTime), owner}, str(fields...))
	}
	return map[string][]PropertyDef{
		"contacts": join([]PropertyDef{{Name: "email", Type: TypeString, Unique: true, UnlistedUnique: true},
			{Name: "hs_additional_emails", Type: TypeString, ReadOnly: true}}, str("firstname", "lastname", "company", "website", "city", "jobtitle"),
			[]PropertyDef{prop("phone", TypePhoneNumber), prop("lifecyclestage", TypeEnumeration), owner,
				prop("annualrevenue", TypeNumber), prop("date_of_birth", TypeDate), prop("hs_email_optout", TypeBool)}),
		"companies": join(str("name", "domain", "industry", "city", "founded_year"),
			[]PropertyDef{prop("phone", TypePhoneNumber), owner, prop("numberofemployees", TypeNumber),
				prop("annualrevenue", TypeNumber), prop("is_public", TypeBool)}),
		"deals": join(str("dealname", "dealstage", "pipeline"),
			[]PropertyDef{prop("amount", TypeNumber), prop("closedate", TypeDateTime), owner}),
		"tickets": join(str("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority"),
			[]PropertyDef{owner}),
		"products": join(str("name", "description", "hs_sku"), []PropertyDef{prop("price", TypeNumber)}),
		"line_items": join(str("name", "hs_product_id"), []PropertyDef{prop("price", TypeNumber), prop("quantity", TypeNumber),
			{Name: "amount", Type: TypeNumber, ReadOnly: true}}),
		"quotes": join(str("hs_title", "hs_status", "hs_language"), []PropertyDef{prop("hs_expiration_date", TypeDateTime),
			{Name: "hs_public_url_key", Type: TypeString, ReadOnly: true}}),
		"calls":                engagement("hs_call_title", "hs_call_body", "hs_call_status", "hs_call_duration"),
		"emails":               engagement("hs_email_subject", "hs_email_text", "hs_email_direction"),
		"meetings":             engagement("hs_meeting_title", "hs_meeting_body", "hs_meeting_start_time", "hs_meeting_end_time"),
		"notes":                engagement("hs_note_body"),
		"tasks":                engagement("hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority"),
		"feedback_submissions": feedbackSubmissionProperties(),
	}
}

// libraryProperties are the properties of a type added to HubSpot's object
// library after the first ones: hs_name and hubspot_owner_id are a guess at
// what every such type has; contracts' and payments' own come from their
// guides (https://developers.hubspot.com/docs/api-reference/crm-contracts-v3/guide:
// hs_name, hs_currency_code, hs_contract_effective_date;
// https://developers.hubspot.com/docs/api-reference/latest/crm/objects/commerce-payments/guide:
// hs_initial_amount and hs_initiated_date; their types are a guess).
func libraryProperties(typeName string) []PropertyDef {
	common := []PropertyDef{prop("hs_name", TypeString), prop("hubspot_owner_id", TypeEnumeration)}
	switch typeName {
	case "contracts":
		return append(common, prop("hs_currency_code", TypeString), prop("hs_contract_effective_date", TypeDate))
	case "commerce_payments":
		return append(common, prop("hs_initial_amount", TypeNumber), prop("hs_initiated_date", TypeDateTime))
	}
	return common
}

// feedbackSubmissionProperties are the survey responses' properties
// (https://developers.hubspot.com/docs/api/crm/feedback-submissions): "This
// API is read-only, so you cannot use it to create, update, or delete
// survey response data"; the defaults are hs_createdate,
// hs_lastmodifieddate and hs_object_id. hs_sentiment and
// hs_survey_channel are the docs' example properties; hs_survey_name,
// hs_survey_type, hs_response_value and hs_content are a guess at the
// others' names. The type refuses every write through the API (its row's
// operations); its properties are writable to the server's own Create and
// Update, which stand for the surveys HubSpot records.
func feedbackSubmissionProperties() []PropertyDef {
	return append(str("hs_sentiment", "hs_survey_channel", "hs_survey_name", "hs_survey_type", "hs_content"),
		prop("hs_response_value", TypeNumber))
}

// hubspotTime is how HubSpot writes instants: UTC with milliseconds.
const hubspotTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(hubspotTime) }

// normalize checks a value written to a property of the given type and
// returns it as HubSpot stores it; the error is HubSpot's sub-error code.
func normalize(p PropertyDef, v string) (string, string, error) {
	if v == "" {
		return "", "", nil // clears the value
	}
	switch p.Type {
	case TypeNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", "INVALID_INTEGER", fmt.Errorf("%q was not a valid number", v)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), "", nil
	case TypeBool:
		switch strings.ToLower(v) {
		case "true", "false":
			return strings.ToLower(v), "", nil
		}
		return "", "INVALID_OPTION", fmt.Errorf("%q was not one of the allowed options: [true, false]", v)
	case TypeDateTime:
		t, err := parseInstant(v)
		if err != nil {
			return "", "INVALID_DATE", fmt.Errorf("%q is not a valid datetime: use epoch milliseconds or ISO 8601", v)
		}
		return formatTime(t), "", nil
	case TypeDate:
		t, err := parseInstant(v)
		if err != nil {
			t, err = time.Parse(time.DateOnly, v)
		}
		if err != nil {
			return "", "INVALID_DATE", fmt.Errorf("%q is not a valid date: use YYYY-MM-DD or midnight UTC in epoch milliseconds", v)
		}
		if t.UTC().Truncate(24*time.Hour) != t.UTC() {
			return "", "INVALID_DATE", fmt.Errorf("%q is not midnight UTC", v)
		}
		return t.UTC().Format(time.DateOnly), "", nil
	case TypeEnumeration:
		if err := checkOptions(p, v); err != nil {
			return "", "INVALID_OPTION", err
		}
		return v, "", nil
	default:
		return v, "", nil
	}
}

// checkOptions refuses an enumeration value that is none of the
// property's options, as HubSpot does ("was not one of the allowed
// options", with code INVALID_OPTION, as for bool above); a checkbox
// (multi-select) value is options joined by ';' (https://developers.hubspot.com/docs/api/crm/properties).
// Enumerations without options (hubspot_owner_id) take any value.
func checkOptions(p PropertyDef, v string) error {
	if len(p.Options) == 0 {
		return nil
	}
	parts := []string{v}
	if p.FieldType == "checkbox" {
		parts = strings.Split(v, ";")
	}
	for _, part := range parts {
		if !slices.ContainsFunc(p.Options, func(o PropertyOption) bool { return o.Value == part }) {
			values := make([]string, len(p.Options))
			for i, o := range p.Options {
				values[i] = o.Value
			}
			return fmt.Errorf("%q was not one of the allowed options: [%s]", part, strings.Join(values, ", "))
		}
	}
	return nil
}

// parseInstant reads epoch milliseconds or an ISO 8601 instant.
func parseInstant(v string) (time.Time, error) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse instant %q: %w", v, err)
	}
	return t.UTC(), nil
}
