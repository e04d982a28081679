package hubspottest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// The Property Validations API
// (PublicApiSpecs/CRM/Property Validations/Rollouts/215885/<v3|2025-09|2026-03|2026-09>/propertyValidations.json):
// GET /crm/v3/property-validations/{objectTypeId} lists the properties
// with rules, GET .../{propertyName} one property's rules, GET and PUT
// .../{propertyName}/rule-type/{ruleType} one rule; a PUT answers 204. The
// type is named by its id (0-1) or its name, as in the objects API.

func (s *Server) validationRoutes(m versionedMux) {
	m.handle("GET", "/{type}", false, s.listValidations)
	m.handle("GET", "/{type}/{property}", false, s.propertyValidations)
	m.handle("GET", "/{type}/{property}/rule-type/{ruleType}", false, s.getValidation)
	m.handle("PUT", "/{type}/{property}/rule-type/{ruleType}", false, s.putValidation)
}

// propertyRulesJSON is PublicPropertyValidationRuleMap.
type propertyRulesJSON struct {
	PropertyName            string           `json:"propertyName"`
	PropertyValidationRules []ValidationRule `json:"propertyValidationRules"`
}

func (s *Server) listValidations(r *http.Request) (int, any, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return 0, nil, e
	}
	byProp := s.rules.validations[ts.t.name]
	out := pageJSON[propertyRulesJSON]{Results: []propertyRulesJSON{}}
	for _, name := range slices.Sorted(maps.Keys(byProp)) {
		out.Results = append(out.Results, propertyRulesJSON{PropertyName: name, PropertyValidationRules: byProp[name]})
	}
	return http.StatusOK, out, nil
}

// ruleProperty is the type and the property a path names.
func (s *Server) ruleProperty(r *http.Request) (*typeStore, string, *apiError) {
	ts, e := s.typeOf(r)
	if e != nil {
		return nil, "", e
	}
	name := r.PathValue("property")
	if _, ok := ts.t.byName[name]; !ok {
		return nil, "", notFound(fmt.Sprintf("Unable to find property %s on object type %s", name, ts.t.name))
	}
	return ts, name, nil
}

func (s *Server) propertyValidations(r *http.Request) (int, any, *apiError) {
	ts, name, e := s.ruleProperty(r)
	if e != nil {
		return 0, nil, e
	}
	rules := s.rules.validations[ts.t.name][name]
	if rules == nil {
		rules = []ValidationRule{}
	}
	return http.StatusOK, pageJSON[ValidationRule]{Results: rules}, nil
}

// getValidation answers a property's rule of a type; a property without
// one gets a 404 (a guess: the spec gives only the default error answer).
func (s *Server) getValidation(r *http.Request) (int, any, *apiError) {
	ts, name, e := s.ruleProperty(r)
	if e != nil {
		return 0, nil, e
	}
	ruleType := r.PathValue("ruleType")
	if _, ok := ruleKindOf(ruleType); !ok {
		return 0, nil, badRequest(fmt.Sprintf("Unknown rule type %q", ruleType))
	}
	for _, rule := range s.rules.validations[ts.t.name][name] {
		if rule.RuleType == ruleType {
			return http.StatusOK, rule, nil
		}
	}
	return 0, nil, notFound(fmt.Sprintf("Property %s of %s has no %s rule", name, ts.t.name, ruleType))
}

// ruleUpdateJSON is PublicPropertyValidationRuleUpdate.
type ruleUpdateJSON struct {
	RuleArguments            []string `json:"ruleArguments"`
	ShouldApplyNormalization bool     `json:"shouldApplyNormalization"`
}

func (s *Server) putValidation(r *http.Request) (int, any, *apiError) {
	ts, name, e := s.ruleProperty(r)
	if e != nil {
		return 0, nil, e
	}
	var body ruleUpdateJSON
	if e := decodeBody(r, &body); e != nil {
		return 0, nil, e
	}
	rule := ValidationRule{RuleType: r.PathValue("ruleType"), RuleArguments: body.RuleArguments, ShouldApplyNormalization: body.ShouldApplyNormalization}
	if e := s.putRuleLocked(ts, name, rule); e != nil {
		return 0, nil, e
	}
	return http.StatusNoContent, nil, nil
}
