package hubspottest

import (
	"fmt"
	"strings"
)

// The full property catalogue (WithFullPropertyCatalog) gives each standard
// type as many properties as a HubSpot account has, of every type and field
// type HubSpot's properties API names, so that readers meet wide objects,
// typed values and enumerations with options. A portal's contacts have
// several hundred properties, most of them HubSpot's own (hs_*): the
// default properties (https://knowledge.hubspot.com/properties/hubspots-default-contact-properties)
// and the analytics, email and sales ones HubSpot calculates. The catalogue
// holds well-known names and fills up to the type's size with names made
// from HubSpot-like stems, in a fixed order: the same server options always
// give the same properties.

// Field types by property type, from HubSpot's table of valid type and
// fieldType values (https://developers.hubspot.com/docs/api/crm/properties):
// bool: booleancheckbox, calculation_equation; enumeration: booleancheckbox,
// checkbox, radio, select, calculation_equation; date and datetime: date;
// string: file, text, textarea, calculation_equation (and html and
// phonenumber, which HubSpot's own properties show, such as
// hs_content_membership_notes and mobilephone); number: number,
// calculation_equation. Properties HubSpot calculates also show
// calculation_rollup, calculation_score and calculation_read_time;
// phone_number properties show phonenumber. The docs' table spells the type
// "dateTime"; the API answers "datetime" (docs/hubspot.md, "CRM
// objects"), as this does.
var validFieldTypes = map[string][]string{
	TypeBool:        {"booleancheckbox", "calculation_equation"},
	TypeEnumeration: {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"},
	TypeDate:        {"date"},
	TypeDateTime:    {"date"},
	TypeString:      {"file", "text", "textarea", "html", "phonenumber", "calculation_equation"},
	TypeNumber:      {"number", "calculation_equation"},
	TypePhoneNumber: {"phonenumber"},
}

// catalogSize is how many properties the full catalogue gives a type,
// besides the five every type has.
func catalogSize(typeName string) int {
	switch typeName {
	case "contacts":
		return 600
	case "companies":
		return 250
	case "deals":
		return 200
	case "tickets":
		return 150
	default:
		return 75
	}
}

// catalogEntry is a property of the catalogue before it gets its label,
// group and options.
type catalogEntry struct {
	name      string
	typ       string
	fieldType string
	readOnly  bool
}

func entry(name, typ, fieldType string) catalogEntry {
	return catalogEntry{name: name, typ: typ, fieldType: fieldType}
}

// calculated is a property HubSpot computes: its values cannot be written.
func calculated(name, typ, fieldType string) catalogEntry {
	return catalogEntry{name: name, typ: typ, fieldType: fieldType, readOnly: true}
}

// knownProperties are real HubSpot properties of each type, by their
// internal names (HubSpot's default property lists for contacts,
// companies, deals and tickets on knowledge.hubspot.com/properties).
func knownProperties(typeName string) []catalogEntry {
	switch typeName {
	case "contacts":
		return []catalogEntry{
			entry("email", TypeString, "text"), entry("firstname", TypeString, "text"), entry("lastname", TypeString, "text"),
			entry("phone", TypePhoneNumber, "phonenumber"), entry("mobilephone", TypeString, "phonenumber"), entry("fax", TypeString, "phonenumber"),
			entry("company", TypeString, "text"), entry("website", TypeString, "text"), entry("jobtitle", TypeString, "text"),
			entry("address", TypeString, "text"), entry("city", TypeString, "text"), entry("state", TypeString, "text"),
			entry("zip", TypeString, "text"), entry("country", TypeString, "text"), entry("industry", TypeString, "text"),
			entry("annualrevenue", TypeNumber, "number"), entry("numemployees", TypeEnumeration, "select"),
			entry("lifecyclestage", TypeEnumeration, "radio"), entry("hs_lead_status", TypeEnumeration, "radio"),
			entry("hubspot_owner_id", TypeEnumeration, "select"), entry("date_of_birth", TypeDate, "date"),
			entry("hs_email_optout", TypeBool, "booleancheckbox"), entry("message", TypeString, "textarea"),
			entry("salutation", TypeString, "text"), entry("gender", TypeString, "text"), entry("marital_status", TypeString, "text"),
			entry("degree", TypeString, "text"), entry("school", TypeString, "text"), entry("field_of_study", TypeString, "text"),
			entry("graduation_date", TypeDate, "date"), entry("work_email", TypeString, "text"), entry("twitterhandle", TypeString, "text"),
			entry("hs_whatsapp_phone_number", TypePhoneNumber, "phonenumber"), entry("hs_buying_role", TypeEnumeration, "checkbox"),
			entry("hs_language", TypeEnumeration, "select"), entry("hs_persona", TypeEnumeration, "radio"),
			entry("hs_legal_basis", TypeEnumeration, "checkbox"), entry("hs_marketable_status", TypeEnumeration, "booleancheckbox"),
			entry("hs_content_membership_notes", TypeString, "html"), entry("hs_avatar_filemanager_key", TypeString, "file"),
			entry("hs_sequences_is_enrolled", TypeBool, "booleancheckbox"), entry("hs_time_zone", TypeEnumeration, "select"),
			calculated("num_notes", TypeNumber, "number"), calculated("num_contacted_notes", TypeNumber, "number"),
			calculated("notes_last_contacted", TypeDateTime, "date"), calculated("notes_last_updated", TypeDateTime, "date"),
			calculated("notes_next_activity_date", TypeDateTime, "date"), calculated("num_associated_deals", TypeNumber, "number"),
			calculated("hs_analytics_num_page_views", TypeNumber, "number"), calculated("hs_analytics_num_visits", TypeNumber, "number"),
			calculated("hs_analytics_num_event_completions", TypeNumber, "number"),
			calculated("hs_analytics_first_timestamp", TypeDateTime, "date"), calculated("hs_analytics_last_timestamp", TypeDateTime, "date"),
			calculated("hs_analytics_source", TypeEnumeration, "select"), calculated("hs_analytics_first_url", TypeString, "text"),
			calculated("hs_email_domain", TypeString, "text"), calculated("hs_email_last_open_date", TypeDateTime, "date"),
			calculated("hs_email_bounce", TypeNumber, "number"), calculated("hs_is_unworked", TypeBool, "calculation_equation"),
			calculated("hs_lifecyclestage_customer_date", TypeDateTime, "calculation_equation"),
			calculated("hubspotscore", TypeNumber, "calculation_score"), calculated("days_to_close", TypeNumber, "calculation_equation"),
			calculated("first_deal_created_date", TypeDateTime, "calculation_rollup"), calculated("recent_deal_amount", TypeNumber, "calculation_rollup"),
			calculated("total_revenue", TypeNumber, "calculation_rollup"), calculated("hs_calculated_phone_number", TypeString, "phonenumber"),
			calculated("ip_city", TypeString, "text"), calculated("ip_country", TypeString, "text"),
			calculated("hs_predictivescoringtier", TypeEnumeration, "calculation_equation"),
		}
	case "companies":
		return []catalogEntry{
			entry("name", TypeString, "text"), entry("domain", TypeString, "text"), entry("industry", TypeEnumeration, "select"),
			entry("city", TypeString, "text"), entry("state", TypeString, "text"), entry("country", TypeString, "text"),
			entry("phone", TypePhoneNumber, "phonenumber"), entry("hubspot_owner_id", TypeEnumeration, "select"),
			entry("numberofemployees", TypeNumber, "number"), entry("annualrevenue", TypeNumber, "number"),
			entry("is_public", TypeBool, "booleancheckbox"), entry("founded_year", TypeString, "text"),
			entry("description", TypeString, "textarea"), entry("type", TypeEnumeration, "select"), entry("lifecyclestage", TypeEnumeration, "radio"),
			entry("hs_lead_status", TypeEnumeration, "radio"), entry("timezone", TypeString, "text"), entry("linkedin_company_page", TypeString, "text"),
			calculated("num_associated_contacts", TypeNumber, "number"), calculated("num_associated_deals", TypeNumber, "number"),
			calculated("notes_last_contacted", TypeDateTime, "date"), calculated("hs_analytics_num_page_views", TypeNumber, "number"),
			calculated("total_revenue", TypeNumber, "calculation_rollup"), calculated("hs_num_open_deals", TypeNumber, "calculation_rollup"),
		}
	case "deals":
		return []catalogEntry{
			entry("dealname", TypeString, "text"), entry("dealstage", TypeString, "text"), entry("pipeline", TypeString, "text"),
			entry("amount", TypeNumber, "number"), entry("closedate", TypeDateTime, "date"), entry("hubspot_owner_id", TypeEnumeration, "select"),
			entry("dealtype", TypeEnumeration, "radio"), entry("description", TypeString, "textarea"), entry("hs_priority", TypeEnumeration, "select"),
			entry("hs_next_step", TypeString, "textarea"), entry("hs_deal_stage_probability", TypeNumber, "number"),
			calculated("hs_is_closed", TypeBool, "calculation_equation"), calculated("hs_is_closed_won", TypeBool, "calculation_equation"),
			calculated("days_to_close", TypeNumber, "calculation_equation"), calculated("hs_acv", TypeNumber, "calculation_equation"),
			calculated("hs_mrr", TypeNumber, "calculation_equation"), calculated("num_associated_contacts", TypeNumber, "number"),
			calculated("notes_last_contacted", TypeDateTime, "date"),
		}
	case "tickets":
		return []catalogEntry{
			entry("subject", TypeString, "text"), entry("content", TypeString, "textarea"), entry("hs_pipeline", TypeString, "text"),
			entry("hs_pipeline_stage", TypeString, "text"), entry("hs_ticket_category", TypeString, "text"), entry("hs_ticket_priority", TypeString, "text"),
			entry("hubspot_owner_id", TypeEnumeration, "select"), entry("source_type", TypeEnumeration, "select"),
			entry("hs_resolution", TypeEnumeration, "select"), entry("closed_date", TypeDateTime, "date"),
			calculated("time_to_close", TypeNumber, "calculation_equation"), calculated("hs_num_times_contacted", TypeNumber, "number"),
		}
	}
	return nil
}

// catalogAreas are the name stems of a type's generated properties: the
// features of HubSpot that fill its properties (hs_analytics_*, hs_email_*,
// hs_sales_email_* ...).
func catalogAreas(typeName string) []string {
	common := []string{
		"hs_analytics", "hs_email", "hs_social", "hs_sales_email", "hs_sequences", "hs_latest_source", "hs_first_engagement",
		"hs_last_engagement", "hs_marketing", "hs_document", "hs_calls", "hs_meetings", "hs_form", "hs_chat", "hs_ad",
		"hs_web", "hs_conversion", "hs_feedback", "hs_intent", "hs_linkedin", "hs_facebook", "hs_twitter", "hs_google",
		"hs_lifecyclestage_lead", "hs_lifecyclestage_opportunity", "hs_lifecyclestage_customer", "hs_partner", "hs_billing",
		"hs_support", "hs_survey", "ip",
	}
	own := map[string][]string{
		"companies": {"hs_target_account", "hs_ideal_customer", "hs_parent_company", "hs_revenue"},
		"deals":     {"hs_forecast", "hs_deal_stage", "hs_closed", "hs_line_items", "hs_quote"},
		"tickets":   {"hs_ticket", "hs_sla", "hs_escalation", "hs_time_to_first_response"},
	}
	return append(own[typeName], common...)
}

// catalogMetrics are the name endings of generated properties, each with
// its type: every type and field type the catalogue offers.
var catalogMetrics = []catalogEntry{
	calculated("num_opens", TypeNumber, "number"),
	entry("campaign", TypeString, "text"),
	entry("start_date", TypeDate, "date"),
	entry("status", TypeEnumeration, "select"),
	calculated("last_timestamp", TypeDateTime, "date"),
	entry("opted_in", TypeBool, "booleancheckbox"),
	entry("notes", TypeString, "textarea"),
	calculated("score", TypeNumber, "calculation_score"),
	entry("channel", TypeEnumeration, "radio"),
	entry("tags", TypeEnumeration, "checkbox"),
	entry("contact_phone", TypePhoneNumber, "phonenumber"),
	calculated("first_date", TypeDateTime, "calculation_rollup"),
	entry("summary", TypeString, "html"),
	entry("attachment", TypeString, "file"),
	entry("amount", TypeNumber, "number"),
	entry("consent", TypeEnumeration, "booleancheckbox"),
	entry("url", TypeString, "text"),
	calculated("is_qualified", TypeBool, "calculation_equation"),
	entry("renewal_date", TypeDate, "date"),
	calculated("num_clicks", TypeNumber, "calculation_equation"),
	entry("fax_number", TypeString, "phonenumber"),
	entry("next_timestamp", TypeDateTime, "date"),
	entry("source_id", TypeString, "text"),
	calculated("revenue", TypeNumber, "calculation_rollup"),
	calculated("tier", TypeEnumeration, "calculation_equation"),
}

// catalog returns the full catalogue's properties of a standard type, in
// a fixed order, without the five every type has.
func catalog(typeName string) []PropertyDef {
	size := catalogSize(typeName)
	seen := map[string]bool{}
	for _, p := range systemProperties(typeName) {
		seen[p] = true
	}
	var out []PropertyDef
	add := func(e catalogEntry) {
		if seen[e.name] || len(out) >= size {
			return
		}
		seen[e.name] = true
		out = append(out, catalogProperty(typeName, e))
	}
	for _, e := range knownProperties(typeName) {
		add(e)
	}
	// Each stem with every ending, so that even the smallest catalogue has
	// every type and field type.
	for _, a := range catalogAreas(typeName) {
		for _, m := range catalogMetrics {
			e := m
			e.name = a + "_" + m.name
			add(e)
		}
	}
	for i := 1; len(out) < size; i++ { // never reached with these stems; kept so that sizes always hold
		m := catalogMetrics[i%len(catalogMetrics)]
		m.name = fmt.Sprintf("hs_custom_%d_%s", i, m.name)
		add(m)
	}
	return out
}

// systemProperties are the names every type has whatever the catalogue.
func systemProperties(typeName string) []string {
	names := []string{"hs_object_id", "hs_object_source", "hs_updated_by_user_id", "hs_lastmodifieddate", "createdate", "hs_createdate"}
	if typeName == "contacts" {
		names = append(names, "lastmodifieddate")
	}
	return names
}

func catalogProperty(typeName string, e catalogEntry) PropertyDef {
	p := PropertyDef{
		Name: e.name, Type: e.typ, FieldType: e.fieldType, ReadOnly: e.readOnly,
		Label: labelOf(e.name), GroupName: groupOf(typeName, e.name),
	}
	if e.typ == TypeEnumeration && e.name != "hubspot_owner_id" { // owners are its values
		p.Options = optionsOf(e.name, e.fieldType)
	}
	return p
}

// labelOf makes a label as HubSpot's read: "hs_lead_status" is "Lead Status".
func labelOf(name string) string {
	words := strings.Split(strings.TrimPrefix(name, "hs_"), "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// groupOf places a property in one of HubSpot's property groups.
func groupOf(typeName, name string) string {
	for _, g := range []struct{ stem, group string }{
		{"analytics", "analyticsinformation"}, {"email", "emailinformation"}, {"social", "socialmediainformation"},
		{"linkedin", "socialmediainformation"}, {"facebook", "socialmediainformation"}, {"twitter", "socialmediainformation"},
		{"sales", "sales_properties"}, {"sequences", "sales_properties"}, {"calls", "sales_properties"}, {"meetings", "sales_properties"},
		{"conversion", "conversioninformation"}, {"form", "conversioninformation"},
	} {
		if strings.Contains(name, g.stem) {
			return g.group
		}
	}
	return informationGroup(typeName)
}

// informationGroup is a type's main property group, such as
// contactinformation.
func informationGroup(typeName string) string {
	return strings.ToLower(singular(typeName)) + "information"
}

// knownOptions are the option values of HubSpot's own enumerations.
var knownOptions = map[string][]string{
	"lifecyclestage":       {"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"},
	"hs_lead_status":       {"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"},
	"hs_analytics_source":  {"ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS", "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL"},
	"numemployees":         {"1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+"},
	"hs_buying_role":       {"BLOCKER", "BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER", "END_USER", "EXECUTIVE_SPONSOR", "INFLUENCER", "LEGAL_AND_COMPLIANCE"},
	"hs_language":          {"en", "de", "fr", "es", "nl", "pt-br", "ja"},
	"hs_legal_basis":       {"Legitimate interest - prospect/lead", "Legitimate interest - existing customer", "Performance of a contract", "Freely given consent from contact"},
	"hs_time_zone":         {"europe_slash_berlin", "america_slash_new_york", "asia_slash_tokyo", "etc_slash_utc"},
	"dealtype":             {"newbusiness", "existingbusiness"},
	"industry":             {"COMPUTER_SOFTWARE", "INTERNET", "HOSPITAL_HEALTH_CARE", "FINANCIAL_SERVICES", "RETAIL"},
	"type":                 {"PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"},
	"hs_priority":          {"low", "medium", "high"},
	"source_type":          {"CHAT", "EMAIL", "FORM", "PHONE"},
	"hs_resolution":        {"ISSUE_FIXED", "BUG_REPORTED", "CUSTOMER_EDUCATION", "OTHER"},
	"hs_persona":           {"persona_1", "persona_2", "persona_3"},
	"hs_marketable_status": {"true", "false"},
}

// optionsOf gives an enumeration its options: HubSpot's own, or ones made
// from the name's ending. A booleancheckbox enumeration has true and false.
func optionsOf(name, fieldType string) []PropertyOption {
	values, ok := knownOptions[name]
	switch {
	case ok:
	case fieldType == "booleancheckbox":
		values = []string{"true", "false"}
	case strings.HasSuffix(name, "_channel"):
		values = []string{"inbound", "outbound", "partner", "event"}
	case strings.HasSuffix(name, "_tags"):
		values = []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	case strings.HasSuffix(name, "_tier"):
		values = []string{"tier_1", "tier_2", "tier_3"}
	default:
		values = []string{"active", "paused", "completed", "cancelled"}
	}
	out := make([]PropertyOption, len(values))
	for i, v := range values {
		label := labelOf(strings.ToLower(v))
		if fieldType == "booleancheckbox" {
			label = map[string]string{"true": "Yes", "false": "No"}[v]
		}
		out[i] = PropertyOption{Label: label, Value: v, DisplayOrder: i, Hidden: false}
	}
	return out
}
