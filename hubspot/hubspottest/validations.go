package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// An account's rules for the values its objects' properties may take, and
// how writes through the API meet them.
//
// Property validation rules (a letters-only name, a postal code of at most
// eight digits, a number from 1 up) are read and set through the Property
// Validations API (validations_http.go). HubSpot enforces them on every
// write through the API since 24 July 2023, at every API version: "If a
// property value does not meet the set requirement, you will receive a 400
// status code" with the body
// {"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Enter only letters\",\"error\":\"INVALID_ALPHA\",\"name\":\"firstname\"}]","correlationId":"...","category":"VALIDATION_ERROR"}
// (https://developers.hubspot.com/changelog/upcoming-property-validations-rules-will-be-enforced-for-apis-and-integrations).
// The simulator answers in that shape: which property, the refusal's code
// and message in the message's list, no errors list and no context.
//
// From API version 2026-09, HubSpot also enforces on writes through the
// API the rules admins set for records in its UI, which earlier versions
// ignore: properties required when another has a given value
// ("close_date becomes required when dealstage is set to closedwon"), and
// properties required on the Create Record form, answered with a 400
// VALIDATION_ERROR (https://developers.hubspot.com/changelog/crm-api-write-validation-enforcement,
// "Breaking Change: CRM API Write Validation Enforcement Starting with the
// 2026-09 API Version", 11 August 2026; its third behaviour, association
// permissions of user-level OAuth, the simulator does not model). No
// public API sets these rules (the spec collection has none): tests set
// them with RequireOnCreate and RequireWhen.
//
// Account rules apply to API requests, not to the writes tests make
// through Server methods (Create, Update, Seed).

// ValidationRule is a property validation rule, in the Property
// Validations API's shape (PublicPropertyValidationRule): a rule type
// such as MAX_LENGTH and its arguments, such as ["8"].
type ValidationRule struct {
	RuleType      string   `json:"ruleType"`
	RuleArguments []string `json:"ruleArguments"`
	// ShouldApplyNormalization is stored and served; what normalization
	// HubSpot applies HubSpot does not say, so the simulator applies none.
	ShouldApplyNormalization bool `json:"shouldApplyNormalization"`
}

// conditionalRule makes property required when whenProperty has whenValue.
type conditionalRule struct{ property, whenProperty, whenValue string }

// accountRules are the account's rules, by object type name.
type accountRules struct {
	validations map[string]map[string][]ValidationRule // property -> its rules
	onCreate    map[string][]string                    // properties a create must give
	when        map[string][]conditionalRule
}

func (a *accountRules) any(typeName string) bool {
	return len(a.validations[typeName])+len(a.onCreate[typeName])+len(a.when[typeName]) > 0
}

// writeRulesFrom is the first API version that enforces the required
// properties of RequireOnCreate and RequireWhen.
const writeRulesFrom = "2026-09"

// enforcesWriteRules reports whether writes at version meet the required
// properties: date versions from 2026-09 on; not the numbered paths.
func enforcesWriteRules(version string) bool {
	return version != numbered && version != "" && version >= writeRulesFrom
}

// SetValidationRules sets rules of a property as the Property Validations
// API's PUT of each would: a rule replaces the property's rule of its
// type, and leaves its rules of other types.
func (s *Server) SetValidationRules(objectType, property string, rules ...ValidationRule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, e := s.typeNamed(objectType)
	if e != nil {
		return e.asError()
	}
	for _, rule := range rules {
		if rule.RuleArguments == nil {
			rule.RuleArguments = []string{} // the rules that take none
		}
		if e := s.putRuleLocked(ts, property, rule); e != nil {
			return e.asError()
		}
	}
	return nil
}

// RequireOnCreate makes properties required when an object of the type is
// created through the API at 2026-09 or later, as properties required on
// HubSpot's Create Record form are.
func (s *Server) RequireOnCreate(objectType string, properties ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, err := s.typeWithLocked(objectType, properties...)
	if err != nil {
		return err
	}
	if s.rules.onCreate == nil {
		s.rules.onCreate = map[string][]string{}
	}
	s.rules.onCreate[ts.t.name] = append(s.rules.onCreate[ts.t.name], properties...)
	return nil
}

// RequireWhen makes property required, for writes through the API at
// 2026-09 or later, on an object whose whenProperty has whenValue: a
// conditional property rule of HubSpot's.
func (s *Server) RequireWhen(objectType, property, whenProperty, whenValue string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, err := s.typeWithLocked(objectType, property, whenProperty)
	if err != nil {
		return err
	}
	if s.rules.when == nil {
		s.rules.when = map[string][]conditionalRule{}
	}
	s.rules.when[ts.t.name] = append(s.rules.when[ts.t.name], conditionalRule{property, whenProperty, whenValue})
	return nil
}

// typeWithLocked is the type a rule names, which must have the properties
// it names.
func (s *Server) typeWithLocked(objectType string, properties ...string) (*typeStore, error) {
	ts, e := s.typeNamed(objectType)
	if e != nil {
		return nil, e.asError()
	}
	for _, p := range properties {
		if _, ok := ts.t.byName[p]; !ok {
			return nil, fmt.Errorf("hubspottest: %s has no property %q", ts.t.name, p)
		}
	}
	return ts, nil
}

// putRuleLocked checks a rule and sets it on the property.
func (s *Server) putRuleLocked(ts *typeStore, property string, rule ValidationRule) *apiError {
	p, ok := ts.t.byName[property]
	if !ok {
		return notFound(fmt.Sprintf("Unable to find property %s on object type %s", property, ts.t.name))
	}
	kind, ok := ruleKindOf(rule.RuleType)
	if !ok {
		return badRequest(fmt.Sprintf("Unknown rule type %q", rule.RuleType))
	}
	// The refusals of a rule that does not fit the property, and of bad
	// arguments, are guesses: the guide says which types each rule type
	// applies to and which arguments it takes, not what HubSpot answers
	// otherwise.
	if !slices.Contains(kind.types, p.Type) {
		return badRequest(fmt.Sprintf("Rule type %s does not apply to property %s of type %s", rule.RuleType, property, p.Type))
	}
	if rule.RuleArguments == nil {
		return badRequest("ruleArguments is required")
	}
	if err := kind.args(rule.RuleArguments); err != nil {
		return badRequest(fmt.Sprintf("Rule %s of property %s: %v", rule.RuleType, property, err))
	}
	if s.rules.validations == nil {
		s.rules.validations = map[string]map[string][]ValidationRule{}
	}
	byProp := s.rules.validations[ts.t.name]
	if byProp == nil {
		byProp = map[string][]ValidationRule{}
		s.rules.validations[ts.t.name] = byProp
	}
	rule.RuleArguments = slices.Clone(rule.RuleArguments)
	rules := byProp[property]
	if i := slices.IndexFunc(rules, func(r ValidationRule) bool { return r.RuleType == rule.RuleType }); i >= 0 {
		rules[i] = rule
	} else {
		byProp[property] = append(rules, rule)
	}
	return nil
}

// checkRulesLocked refuses a write through the API that breaks the
// account's rules: a property validation rule at any version, a required
// property at 2026-09 and later. creating says whether the write creates
// an object; self is the object an update writes. A write refused for
// another reason (a value not of its property's type, a taken unique
// value) passes: the write itself answers with that refusal.
func (s *Server) checkRulesLocked(version string, ts *typeStore, creating bool, props map[string]*string, self *record) *apiError {
	if !s.rules.any(ts.t.name) {
		return nil
	}
	checked, e := ts.checkWrite(props, self)
	if e != nil {
		return nil
	}
	if e := s.rules.checkValues(ts.t.name, checked); e != nil {
		return e
	}
	if !enforcesWriteRules(version) {
		return nil
	}
	return s.rules.checkRequired(ts.t, creating, checked, self)
}

// checkInputRulesLocked is checkRulesLocked for a create, update or upsert
// input: an update meets the rules as the object it writes, an upsert as
// what it updates or creates. An input that names no live object passes:
// the write answers that.
func (s *Server) checkInputRulesLocked(version string, ts *typeStore, op string, in batchInput, props map[string]*string) *apiError {
	if op == "create" {
		return s.checkRulesLocked(version, ts, true, props, nil)
	}
	if op == "upsert" && in.IDProperty == "" {
		return nil
	}
	self, e := ts.lookup(in.IDProperty, in.ID)
	if e != nil {
		return nil
	}
	if self != nil && !self.archived {
		return s.checkRulesLocked(version, ts, false, props, self)
	}
	if op != "upsert" {
		return nil
	}
	withID := maps.Clone(props)
	id := in.ID
	withID[in.IDProperty] = &id
	return s.checkRulesLocked(version, ts, true, withID, nil)
}

// invalidValue is one refused value in the list of HubSpot's "Property
// values were not valid" message.
type invalidValue struct {
	IsValid bool   `json:"isValid"`
	Message string `json:"message"`
	Error   string `json:"error"`
	Name    string `json:"name"`
}

// checkValues refuses values that break a property validation rule, each
// value it sets (empty ones clear a value, which no rule is about: a
// guess, HubSpot does not say) against each enforced rule of its property.
func (a *accountRules) checkValues(typeName string, checked map[string]*string) *apiError {
	var refused []invalidValue
	for _, name := range slices.Sorted(maps.Keys(checked)) {
		v := checked[name]
		if v == nil || *v == "" {
			continue
		}
		for _, rule := range a.validations[typeName][name] {
			kind, _ := ruleKindOf(rule.RuleType)
			if kind.check == nil {
				continue
			}
			if code, msg, ok := kind.check(rule.RuleArguments, *v); !ok {
				refused = append(refused, invalidValue{Message: msg, Error: code, Name: name})
			}
		}
	}
	if len(refused) == 0 {
		return nil
	}
	var list bytes.Buffer
	enc := json.NewEncoder(&list)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(refused)
	return &apiError{status: http.StatusBadRequest, category: categoryValidation,
		message: "Property values were not valid: " + strings.TrimSpace(list.String())}
}

// checkRequired refuses a create without a property its type requires on
// create, and a write that leaves the object without a property a
// conditional rule requires. A conditional rule is checked when the write
// sets either of its properties (a guess: the changelog says a property
// "missing on write"), against the object as the write leaves it.
//
// The changelog shows the answer's category (VALIDATION_ERROR) and the
// start of its body ({"category":"VALIDATION_ERROR","message":"...","e...);
// each refusal in errors, with a code and the property in
// context.propertyName as HubSpot's ErrorDetail has them, is a guess, as
// are the messages. MISSING_REQUIRED_PROPERTY is the name HubSpot's
// imports give a row without a required property
// (PublicApiSpecs/CRM/Imports/Rollouts/144903/2026-09/imports.json).
func (a *accountRules) checkRequired(t *objectType, creating bool, checked map[string]*string, self *record) *apiError {
	after := map[string]string{}
	if self != nil {
		after = self.props.toMap()
	}
	for name, v := range checked {
		if v == nil {
			delete(after, name)
			continue
		}
		after[name] = *v
	}
	var details []errorDetail
	if creating {
		for _, p := range a.onCreate[t.name] {
			if after[p] == "" {
				details = append(details, errorDetail{Code: "MISSING_REQUIRED_PROPERTY", Context: ctxMap("propertyName", p),
					Message: fmt.Sprintf("%s is required to create a %s", p, singularName(t.name))})
			}
		}
	}
	for _, c := range a.when[t.name] {
		_, setsIt := checked[c.property]
		_, setsWhen := checked[c.whenProperty]
		if (creating || setsIt || setsWhen) && after[c.whenProperty] == c.whenValue && after[c.property] == "" {
			details = append(details, errorDetail{Code: "MISSING_CONDITIONAL_REQUIRED_PROPERTY", Context: ctxMap("propertyName", c.property),
				Message: fmt.Sprintf("%s is required because of a conditional property rule: %s is %s", c.property, c.whenProperty, c.whenValue)})
		}
	}
	if len(details) == 0 {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, category: categoryValidation, errors: details,
		message: "Property values were not valid: " + detailMessages(details)}
}
