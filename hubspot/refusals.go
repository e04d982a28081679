package hubspot

import (
	"encoding/json"
	"strings"
)

// InvalidValue is a property value HubSpot refused to write: the
// property, the refusal's code (INVALID_ALPHA for a letters-only
// validation rule, MISSING_REQUIRED_PROPERTY, INVALID_OPTION...) and its
// message ("Enter only letters").
type InvalidValue struct {
	Property string
	Code     string
	Message  string
}

// invalidValuesPrefix starts the message of HubSpot's refusal of values
// that break the account's property validation rules, which lists them in
// JSON: "Property values were not valid:
// [{"isValid":false,"message":"Enter only letters","error":"INVALID_ALPHA","name":"firstname"}]"
// (https://developers.hubspot.com/changelog/upcoming-property-validations-rules-will-be-enforced-for-apis-and-integrations;
// the same for values with surrounding whitespace,
// https://developers.hubspot.com/changelog/breaking-change-enhanced-validations-for-non-string-properties-in-hubspots-crmobject-apis).
const invalidValuesPrefix = "Property values were not valid: "

// InvalidValues returns the property values the error refuses: those the
// message lists, and those its details name in context.propertyName with
// a code, as the refusals of required properties from API version 2026-09
// do (https://developers.hubspot.com/changelog/crm-api-write-validation-enforcement).
func (e *ErrorResponse) InvalidValues() []InvalidValue { return invalidValues(e.Message, e.Errors) }

// InvalidValues is ErrorResponse.InvalidValues for a batch error.
func (d ErrorDetail) InvalidValues() []InvalidValue { return invalidValues(d.Message, d.Errors) }

func invalidValues(message string, details []ErrorDetail) []InvalidValue {
	var out []InvalidValue
	add := func(v InvalidValue) {
		for _, o := range out {
			if o.Property == v.Property && o.Code == v.Code {
				return
			}
		}
		out = append(out, v)
	}
	if list, ok := strings.CutPrefix(message, invalidValuesPrefix); ok {
		var listed []struct {
			Message string `json:"message"`
			Error   string `json:"error"`
			Name    string `json:"name"`
		}
		// Other refusals of this prefix list their reasons in prose, not
		// JSON: they name nothing here, and their details may.
		if json.Unmarshal([]byte(list), &listed) == nil {
			for _, l := range listed {
				if l.Name != "" {
					add(InvalidValue{Property: l.Name, Code: l.Error, Message: l.Message})
				}
			}
		}
	}
	for _, d := range details {
		if d.Code == "" {
			continue
		}
		for _, name := range d.Context["propertyName"] {
			add(InvalidValue{Property: name, Code: d.Code, Message: d.Message})
		}
	}
	return out
}
