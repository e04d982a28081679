package hubspot_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/matryer/is"
)

// TestInvalidValuesOfHubSpotsBody reads the refusal HubSpot's changelog
// shows for values that break validation rules.
func TestInvalidValuesOfHubSpotsBody(t *testing.T) {
	is := is.New(t)
	body := `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Enter only letters\",\"error\":\"INVALID_ALPHA\",\"name\":\"firstname\"},{\"isValid\":false,\"message\":\"Enter only letters\",\"error\":\"INVALID_ALPHA\",\"name\":\"lastname\"}]","correlationId":"11061cd3-cf3b-45f7-98d4-27f10a99ece6","category":"VALIDATION_ERROR"}`
	var e hubspot.ErrorResponse
	is.NoErr(json.Unmarshal([]byte(body), &e))
	is.Equal(e.InvalidValues(), []hubspot.InvalidValue{
		{Property: "firstname", Code: "INVALID_ALPHA", Message: "Enter only letters"},
		{Property: "lastname", Code: "INVALID_ALPHA", Message: "Enter only letters"},
	})
	prose := hubspot.ErrorDetail{Message: `Property values were not valid: Property "n": "x" was not a valid number`,
		Errors: []hubspot.ErrorDetail{{Code: "INVALID_INTEGER", Message: `"x" was not a valid number`, Context: map[string][]string{"propertyName": {"n"}}}}}
	is.Equal(prose.InvalidValues(), []hubspot.InvalidValue{{Property: "n", Code: "INVALID_INTEGER", Message: `"x" was not a valid number`}})
	is.Equal(len(hubspot.ErrorDetail{Message: "Contact already exists"}.InvalidValues()), 0)
}

// TestInvalidValuesFromTheSimulator: a create and a batch create refused
// under the account's rules say which property and rule refused them.
func TestInvalidValuesFromTheSimulator(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	srv := newSim(t, hubspottest.WithoutRateLimits())
	is.NoErr(srv.SetValidationRules("deals", "dealname", hubspottest.ValidationRule{RuleType: "MAX_LENGTH", RuleArguments: []string{"4"}}))
	is.NoErr(srv.RequireOnCreate("deals", "pipeline"))
	c := simClient(t, srv)

	_, err := c.Objects.Create(ctx, "deals", hubspot.Properties{"dealname": hubspot.String("Too long"), "pipeline": hubspot.String("default")})
	var er *hubspot.ErrorResponse
	is.True(errors.As(err, &er))
	is.Equal(er.InvalidValues(), []hubspot.InvalidValue{{Property: "dealname", Code: "INVALID_MAX_LENGTH", Message: "Enter at most 4 characters"}})

	res, err := c.Objects.BatchCreate(ctx, "deals", []hubspot.BatchInput{
		{Properties: hubspot.Properties{"dealname": hubspot.String("Ok"), "pipeline": hubspot.String("default")}, ObjectWriteTraceID: "0"},
		{Properties: hubspot.Properties{"dealname": hubspot.String("Ok")}, ObjectWriteTraceID: "1"},
	})
	is.NoErr(err)
	is.Equal(len(res.Results), 1)
	is.Equal(len(res.Errors), 1)
	got := res.Errors[0].InvalidValues()
	is.Equal(len(got), 1)
	is.Equal(got[0].Property, "pipeline")
	is.Equal(got[0].Code, "MISSING_REQUIRED_PROPERTY")
}
