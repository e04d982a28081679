package hubspottest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// objectsAt is the objects API's prefix at a version.
func objectsAt(version string) string {
	if version == "legacy" {
		return "/crm/v3/objects"
	}
	return "/crm/objects/" + version
}

// TestPropertyValidationsAPI sets and reads rules through the Property
// Validations API at its numbered and dated paths: a PUT replaces the
// property's rule of its type and keeps the others.
func TestPropertyValidationsAPI(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	put := func(path, body string) int { return call(t, srv, http.MethodPut, path, body).status }
	is.Equal(put("/crm/v3/property-validations/0-3/dealname/rule-type/MAX_LENGTH", `{"ruleArguments":["8"]}`), http.StatusNoContent)
	is.Equal(put("/crm/property-validations/2026-03/deals/dealname/rule-type/MIN_LENGTH", `{"ruleArguments":["1"],"shouldApplyNormalization":true}`), http.StatusNoContent)
	is.Equal(put("/crm/property-validations/2026-09/deals/dealname/rule-type/MAX_LENGTH", `{"ruleArguments":["20"]}`), http.StatusNoContent)
	is.Equal(put("/crm/property-validations/2026-09/deals/amount/rule-type/MIN_NUMBER", `{"ruleArguments":["1"]}`), http.StatusNoContent)

	one := call(t, srv, http.MethodGet, "/crm/property-validations/2026-09/0-3/dealname/rule-type/MAX_LENGTH", "")
	is.Equal(one.status, http.StatusOK)
	is.Equal(strings.TrimSpace(string(one.body)), `{"ruleType":"MAX_LENGTH","ruleArguments":["20"],"shouldApplyNormalization":false}`) // replaced
	prop := call(t, srv, http.MethodGet, "/crm/v3/property-validations/deals/dealname", "")
	is.Equal(strings.TrimSpace(string(prop.body)), `{"results":[{"ruleType":"MAX_LENGTH","ruleArguments":["20"],"shouldApplyNormalization":false},`+
		`{"ruleType":"MIN_LENGTH","ruleArguments":["1"],"shouldApplyNormalization":true}]}`)
	var all struct {
		Results []struct {
			PropertyName            string            `json:"propertyName"`
			PropertyValidationRules []json.RawMessage `json:"propertyValidationRules"`
		} `json:"results"`
	}
	is.NoErr(json.Unmarshal(call(t, srv, http.MethodGet, "/crm/property-validations/2025-09/deals", "").body, &all))
	is.Equal(len(all.Results), 2)
	is.Equal(all.Results[0].PropertyName, "amount")
	is.Equal(all.Results[1].PropertyName, "dealname")
	is.Equal(len(all.Results[1].PropertyValidationRules), 2)
	is.Equal(strings.TrimSpace(string(call(t, srv, http.MethodGet, "/crm/property-validations/2026-09/deals/pipeline", "").body)), `{"results":[]}`)

	for _, tt := range []struct {
		method, path, body string
		want               int
	}{
		{http.MethodPut, "/crm/property-validations/2026-09/deals/nosuch/rule-type/MAX_LENGTH", `{"ruleArguments":["8"]}`, http.StatusNotFound},
		{http.MethodPut, "/crm/property-validations/2026-09/deals/dealname/rule-type/LONGEST", `{"ruleArguments":["8"]}`, http.StatusBadRequest},
		{http.MethodPut, "/crm/property-validations/2026-09/deals/amount/rule-type/MAX_LENGTH", `{"ruleArguments":["8"]}`, http.StatusBadRequest}, // a number
		{http.MethodPut, "/crm/property-validations/2026-09/deals/dealname/rule-type/MAX_LENGTH", `{"ruleArguments":["eight"]}`, http.StatusBadRequest},
		{http.MethodPut, "/crm/property-validations/2026-09/deals/dealname/rule-type/ALPHANUMERIC", `{}`, http.StatusBadRequest},
		{http.MethodGet, "/crm/property-validations/2026-09/deals/pipeline/rule-type/MAX_LENGTH", "", http.StatusNotFound},
		{http.MethodGet, "/crm/property-validations/2026-09/nosuchtype", "", http.StatusBadRequest},
	} {
		got := call(t, srv, tt.method, tt.path, tt.body)
		is.Equal(got.status, tt.want) // method path
		is.Equal(got.json(t)["status"], "error")
	}
}

// refusedValues reads the list in the message of HubSpot's answer to a
// write that breaks a property validation rule.
func refusedValues(t *testing.T, message string) []map[string]any {
	t.Helper()
	list, ok := strings.CutPrefix(message, "Property values were not valid: ")
	if !ok {
		t.Fatalf("message %q is not HubSpot's refusal of property values", message)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(list), &out); err != nil {
		t.Fatalf("message %q: %v", message, err)
	}
	return out
}

// TestValidationRulesAtEveryVersion: HubSpot has enforced property
// validation rules on API writes since July 2023, so every version
// refuses a value that breaks one, in the body HubSpot's changelog shows;
// a batch refuses that input alone.
func TestValidationRulesAtEveryVersion(t *testing.T) {
	for _, version := range []string{"legacy", "2026-03", "2026-09"} {
		t.Run(version, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, hubspottest.WithoutRateLimits())
			is.NoErr(srv.SetValidationRules("contacts", "firstname", hubspottest.ValidationRule{RuleType: "ALPHANUMERIC", RuleArguments: []string{"ALPHA_ONLY"}}))
			is.NoErr(srv.SetValidationRules("deals", "dealname", hubspottest.ValidationRule{RuleType: "MAX_LENGTH", RuleArguments: []string{"8"}}))
			objects := objectsAt(version)

			refused := call(t, srv, http.MethodPost, objects+"/contacts", `{"properties":{"email":"a@example.com","firstname":"R2D2"}}`)
			is.Equal(refused.status, http.StatusBadRequest)
			body := refused.json(t)
			is.Equal(body["category"], "VALIDATION_ERROR")
			is.Equal(body["errors"], nil) // as HubSpot's example: the list is in the message
			is.Equal(refusedValues(t, body["message"].(string)), []map[string]any{
				{"isValid": false, "message": "Enter only letters", "error": "INVALID_ALPHA", "name": "firstname"},
			})
			is.Equal(len(srv.Objects("contacts")), 0)

			ok := call(t, srv, http.MethodPost, objects+"/contacts", `{"properties":{"email":"a@example.com","firstname":"Mary Ann"}}`)
			is.Equal(ok.status, http.StatusCreated)
			id := ok.json(t)["id"].(string)
			is.Equal(call(t, srv, http.MethodPatch, objects+"/contacts/"+id, `{"properties":{"firstname":"C3PO"}}`).status, http.StatusBadRequest)
			is.Equal(call(t, srv, http.MethodPatch, objects+"/contacts/"+id, `{"properties":{"firstname":""}}`).status, http.StatusOK) // clearing breaks no rule

			batch := call(t, srv, http.MethodPost, objects+"/deals/batch/create", `{"inputs":[`+
				`{"properties":{"dealname":"Short"},"objectWriteTraceId":"0"},`+
				`{"properties":{"dealname":"Far too long"},"objectWriteTraceId":"1"}]}`)
			is.Equal(batch.status, http.StatusMultiStatus)
			var res struct {
				Results []map[string]any `json:"results"`
				Errors  []struct {
					Category string              `json:"category"`
					Message  string              `json:"message"`
					Context  map[string][]string `json:"context"`
				} `json:"errors"`
			}
			is.NoErr(json.Unmarshal(batch.body, &res))
			is.Equal(len(res.Results), 1)
			is.Equal(len(res.Errors), 1)
			is.Equal(res.Errors[0].Category, "VALIDATION_ERROR")
			is.Equal(res.Errors[0].Context["objectWriteTraceId"], []string{"1"}) // the input
			got := refusedValues(t, res.Errors[0].Message)
			is.Equal(got[0]["name"], "dealname")
			is.Equal(got[0]["error"], "INVALID_MAX_LENGTH")
			is.Equal(len(srv.Objects("deals")), 1)

			// Contact batch creates are all or nothing: the call is refused.
			all := call(t, srv, http.MethodPost, objects+"/contacts/batch/create", `{"inputs":[`+
				`{"properties":{"email":"b@example.com","firstname":"Bea"}},{"properties":{"email":"c@example.com","firstname":"C3"}}]}`)
			is.Equal(all.status, http.StatusBadRequest)
			is.Equal(len(srv.Objects("contacts")), 1)
		})
	}
}

// TestWriteRulesFrom2026_09: properties required on create, and
// conditionally required ones, are enforced on writes at 2026-09 only:
// single creates and updates get a 400, a batch refuses the input alone
// and names it and the property, and earlier versions write as before.
func TestWriteRulesFrom2026_09(t *testing.T) {
	for _, tt := range []struct {
		version string
		refuses bool
	}{{"legacy", false}, {"2026-03", false}, {"2025-09", false}, {"2026-09", true}} {
		t.Run(tt.version, func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, hubspottest.WithoutRateLimits())
			is.NoErr(srv.RequireOnCreate("contacts", "lastname"))
			is.NoErr(srv.RequireWhen("deals", "closedate", "dealstage", "closedwon"))
			dealID, err := srv.Create("deals", map[string]string{"dealname": "D", "dealstage": "appointmentscheduled"})
			is.NoErr(err)
			objects := objectsAt(tt.version)
			want := func(okStatus int) int {
				if tt.refuses {
					return http.StatusBadRequest
				}
				return okStatus
			}

			// create
			created := call(t, srv, http.MethodPost, objects+"/contacts", `{"properties":{"email":"a@example.com"}}`)
			is.Equal(created.status, want(http.StatusCreated))
			if tt.refuses {
				body := created.json(t)
				is.Equal(body["category"], "VALIDATION_ERROR")
				detail := body["errors"].([]any)[0].(map[string]any)
				is.Equal(detail["code"], "MISSING_REQUIRED_PROPERTY")
				is.Equal(detail["context"], map[string]any{"propertyName": []any{"lastname"}})
			}
			is.Equal(call(t, srv, http.MethodPost, objects+"/contacts", `{"properties":{"email":"b@example.com","lastname":"B"}}`).status, http.StatusCreated)

			// update
			updated := call(t, srv, http.MethodPatch, objects+"/deals/"+dealID, `{"properties":{"dealstage":"closedwon"}}`)
			is.Equal(updated.status, want(http.StatusOK))
			if tt.refuses {
				is.Equal(updated.json(t)["errors"].([]any)[0].(map[string]any)["code"], "MISSING_CONDITIONAL_REQUIRED_PROPERTY")
				is.Equal(call(t, srv, http.MethodPatch, objects+"/deals/"+dealID,
					`{"properties":{"dealstage":"closedwon","closedate":"2026-09-30T00:00:00Z"}}`).status, http.StatusOK)
			}

			// batch create and update: the input that breaks the rule alone
			for _, op := range []struct{ path, body string }{
				{"/deals/batch/create", `{"inputs":[{"properties":{"dealname":"A","dealstage":"closedwon"},"objectWriteTraceId":"t1"},` +
					`{"properties":{"dealname":"B","dealstage":"closedlost"},"objectWriteTraceId":"t2"}]}`},
				{"/deals/batch/update", `{"inputs":[{"id":"` + dealID + `","properties":{"closedate":""}},` +
					`{"id":"` + dealID + `0","properties":{"dealname":"nobody"}}]}`},
			} {
				got := call(t, srv, http.MethodPost, objects+op.path, op.body)
				var res struct {
					Errors []struct {
						Errors  []map[string]any    `json:"errors"`
						Context map[string][]string `json:"context"`
					} `json:"errors"`
				}
				is.NoErr(json.Unmarshal(got.body, &res))
				var ruleErrs []map[string][]string
				for _, e := range res.Errors {
					if len(e.Errors) > 0 && e.Errors[0]["code"] == "MISSING_CONDITIONAL_REQUIRED_PROPERTY" {
						ruleErrs = append(ruleErrs, e.Context)
					}
				}
				if !tt.refuses {
					is.Equal(len(ruleErrs), 0) // op.path
					continue
				}
				is.Equal(got.status, http.StatusMultiStatus) // op.path
				is.Equal(len(ruleErrs), 1)
				if strings.HasSuffix(op.path, "create") {
					is.Equal(ruleErrs[0]["objectWriteTraceId"], []string{"t1"})
				} else {
					is.Equal(ruleErrs[0]["ids"], []string{dealID})
				}
			}

			// batch upsert: contacts are all or nothing
			upsert := call(t, srv, http.MethodPost, objects+"/contacts/batch/upsert", `{"inputs":[`+
				`{"idProperty":"email","id":"c@example.com","properties":{"lastname":"C"}},`+
				`{"idProperty":"email","id":"d@example.com","properties":{"firstname":"D"}},`+
				`{"idProperty":"email","id":"b@example.com","properties":{"firstname":"Bee"}}]}`) // an update: nothing required
			is.Equal(upsert.status, want(http.StatusOK))
			wantContacts := 4 // a, b, c and d
			if tt.refuses {
				wantContacts = 1 // b alone
			}
			is.Equal(len(srv.Objects("contacts")), wantContacts)
		})
	}
}

// TestRulesLeaveServerWrites: the account's rules bind API requests, not
// the writes tests make through the Server.
func TestRulesLeaveServerWrites(t *testing.T) {
	is := is.New(t)
	srv := newServer(t, hubspottest.WithoutRateLimits())
	is.NoErr(srv.RequireOnCreate("contacts", "lastname"))
	is.NoErr(srv.SetValidationRules("contacts", "firstname", hubspottest.ValidationRule{RuleType: "MIN_LENGTH", RuleArguments: []string{"3"}}))
	_, err := srv.Create("contacts", map[string]string{"email": "a@example.com", "firstname": "A"})
	is.NoErr(err)
	is.True(srv.SetValidationRules("contacts", "firstname", hubspottest.ValidationRule{RuleType: "MIN_NUMBER", RuleArguments: []string{"1"}}) != nil) // not a number property
	is.True(srv.RequireOnCreate("contacts", "nosuch") != nil)
}

// TestRuleTypes: each enforced rule type takes a value that keeps it and
// refuses one that breaks it, naming the property and the refusal's code.
func TestRuleTypes(t *testing.T) {
	tests := []struct {
		prop, ruleType string
		args           []string
		good, bad      string
		code           string
	}{
		{"text", "MIN_LENGTH", []string{"3"}, "abc", "ab", "INVALID_MIN_LENGTH"},
		{"text", "MAX_LENGTH", []string{"3"}, "äöü", "abcd", "INVALID_MAX_LENGTH"},
		{"text", "ALPHANUMERIC", []string{"ALPHA_ONLY"}, "Mary Ann", "R2D2", "INVALID_ALPHA"},
		{"text", "ALPHANUMERIC", []string{"NUMERIC_ONLY"}, "0123", "12 3", "INVALID_NUMERIC"},
		{"text", "ALPHANUMERIC", []string{"ALPHANUMERIC"}, "R2 D2", "R2-D2", "INVALID_ALPHANUMERIC"},
		{"text", "SPECIAL_CHARACTERS", nil, "Plain text 1", "50%", "INVALID_SPECIAL_CHARACTERS"},
		{"text", "REGEX", []string{`[A-Z]{2}-\d+`}, "AB-12", "xAB-12", "INVALID_REGEX"},
		{"text", "EMAIL", nil, "a@example.com", "a@", "INVALID_EMAIL"},
		{"text", "EMAIL_ALLOWED_DOMAINS", []string{"example.com"}, "a@Example.com", "a@other.org", "INVALID_EMAIL_DOMAIN"},
		{"text", "EMAIL_BLOCKED_DOMAINS", []string{"spam.io"}, "a@example.com", "a@SPAM.io", "BLOCKED_EMAIL_DOMAIN"},
		{"text", "URL", nil, "https://example.com/x", "example dot com", "INVALID_URL"},
		{"text", "URL_ALLOWED_DOMAINS", []string{"example.com"}, "https://www.example.com/", "https://example.org/", "INVALID_URL_DOMAIN"},
		{"text", "URL_BLOCKED_DOMAINS", []string{"example.org"}, "https://example.com/", "http://a.example.org/", "BLOCKED_URL_DOMAIN"},
		{"tel", "PHONE_NUMBER_WITH_EXPLICIT_COUNTRY_CODE", nil, "+44 20 7946 0018", "020 7946 0018", "INVALID_PHONE_NUMBER"},
		{"n", "MIN_NUMBER", []string{"1"}, "1", "0.5", "INVALID_MIN_NUMBER"},
		{"n", "MAX_NUMBER", []string{"10"}, "10", "10.01", "INVALID_MAX_NUMBER"},
		{"n", "DECIMAL", []string{"2"}, "1.25", "1.255", "INVALID_DECIMAL"},
	}
	for _, tt := range tests {
		t.Run(tt.ruleType+"/"+strings.Join(tt.args, ","), func(t *testing.T) {
			is := is.New(t)
			srv := newServer(t, hubspottest.WithoutRateLimits())
			for name, typ := range map[string]string{"text": hubspottest.TypeString, "n": hubspottest.TypeNumber, "tel": hubspottest.TypePhoneNumber} {
				is.NoErr(srv.AddProperty("deals", hubspottest.PropertyDef{Name: name, Type: typ}))
			}
			is.NoErr(srv.SetValidationRules("deals", tt.prop, hubspottest.ValidationRule{RuleType: tt.ruleType, RuleArguments: tt.args}))
			write := func(v string) response {
				b, _ := json.Marshal(map[string]any{"properties": map[string]string{tt.prop: v}})
				return call(t, srv, http.MethodPost, "/crm/objects/2026-09/deals", string(b))
			}
			is.Equal(write(tt.good).status, http.StatusCreated)
			bad := write(tt.bad)
			is.Equal(bad.status, http.StatusBadRequest)
			got := refusedValues(t, bad.json(t)["message"].(string))
			is.Equal(len(got), 1)
			is.Equal(got[0]["name"], tt.prop)
			is.Equal(got[0]["error"], tt.code)
		})
	}
}
