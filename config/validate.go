package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/go-playground/validator/v10"
)

// checkTag is the struct tag of validator's rules. It is not `validate`:
// the SDK reads that one with a meaning of its own ("inclusion=fail|skip",
// "gt=-1,lt=11"), writes it into connector.yaml and checks it when Conduit
// configures the connector. Every range, choice and required field the
// SDK's tags can say is in them, so that Conduit shows it; `check` holds
// only what they cannot say: durations' bounds (the SDK reads a bound as a
// number, and "5s" is none), names of resources, base URLs and time zones.
const checkTag = "check"

// Checker validates configuration structs: their `check` tags, which name
// validator's own rules (gte=0s) or the named rules of the Checker, the
// SDK's `validate` tags (sdktags.go), and rules across a struct's
// parameters. Every error names the parameter as users write it, its json
// name.
type Checker struct {
	v *validator.Validate
	// explain says, for each named rule, why a value breaks it: validator
	// reports only the rule's tag.
	explain map[string]func(any) error
	// across are the rules across parameters, by the struct type they check:
	// validator keeps one struct-level function per type.
	across map[reflect.Type][]func(validator.StructLevel)
	// acrossTags are the tags of the rules across parameters, whose errors
	// follow those of the fields.
	acrossTags map[string]bool
}

// NewChecker returns a Checker with the rules of the shared settings.
func NewChecker() *Checker {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.SetTagName(checkTag)
	v.RegisterTagNameFunc(paramName)
	c := &Checker{v: v, explain: map[string]func(any) error{}, across: map[reflect.Type][]func(validator.StructLevel){}, acrossTags: map[string]bool{}}
	Rule(c, "resource", func(name string) error {
		if IsTemplate(name) {
			return nil // the destination's to parse; the source refuses one
		}
		_, err := LookupResource(name)
		return err
	})
	Rule(c, "baseurl", func(raw string) error {
		_, err := hubspot.ParseBaseURL(raw)
		return err
	})
	Rule(c, "timezone", func(name string) error {
		_, err := LoadTimeZone(name)
		return err
	})
	Across(c, "signin", signIn)
	return c
}

// signIn is the rule on how a configuration signs in to HubSpot, the one
// place for rules across the settings of signing in: exactly one way, a
// private app's accessToken or an OAuth app's clientId, clientSecret and
// refreshToken together, and no value with white space (HubSpot would
// refuse it with an answer that says less). It returns the first parameter
// at fault; errors never echo a value, which is a secret.
func signIn(c Config) (string, error) {
	oauth := []struct{ name, value string }{
		{KeyClientID, c.ClientID}, {KeyClientSecret, c.ClientSecret}, {KeyRefreshToken, c.RefreshToken},
	}
	var set, unset []string
	for _, p := range oauth {
		if p.value != "" {
			set = append(set, p.name)
		} else {
			unset = append(unset, p.name)
		}
	}
	switch {
	case c.AccessToken == "" && len(set) == 0:
		return KeyAccessToken, fmt.Errorf("is not set: sign in with %q (a private app's token), or with %q, %q and %q (an OAuth app)",
			KeyAccessToken, KeyClientID, KeyClientSecret, KeyRefreshToken)
	case c.AccessToken != "" && len(set) > 0:
		return KeyAccessToken, fmt.Errorf("is set, and %s: sign in one way, with %q or with %q, %q and %q",
			areSet(set), KeyAccessToken, KeyClientID, KeyClientSecret, KeyRefreshToken)
	case len(set) > 0 && len(unset) > 0:
		return unset[0], fmt.Errorf("is not set, while %s: an OAuth app signs in with %q, %q and %q together",
			areSet(set), KeyClientID, KeyClientSecret, KeyRefreshToken)
	}
	for _, p := range append(oauth, struct{ name, value string }{KeyAccessToken, c.AccessToken}) {
		if strings.TrimSpace(p.value) != p.value || strings.ContainsAny(p.value, " \t\r\n") {
			return p.name, errors.New("must not contain white space")
		}
	}
	return "", nil
}

// areSet says that the parameters are set, naming them as an error does.
func areSet(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	if len(quoted) == 1 {
		return quoted[0] + " is set"
	}
	return strings.Join(quoted, " and ") + " are set"
}

// paramName is a field's parameter name, its json name; "" makes validator
// use the Go name, which only fields without a json name have.
func paramName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// Rule adds a rule that `check` tags name by tag: check says why a value of
// the tagged field breaks it, or nil. Its error follows the parameter's name
// in Check's error, so it must not hold a secret value.
func Rule[T any](c *Checker, tag string, check func(T) error) {
	explain := func(v any) error {
		t, ok := v.(T)
		if !ok {
			return fmt.Errorf("is a %T, want a %T", v, t)
		}
		return check(t)
	}
	c.explain[tag] = explain
	// RegisterValidation fails only for an empty tag or a built-in one's
	// name: a programming error.
	if err := c.v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return explain(fl.Field().Interface()) == nil }); err != nil {
		panic(err)
	}
}

// Across adds a rule across the parameters of struct type S, for what no
// one field's tag can say, also when S is embedded: check returns the
// parameter at fault, as users write it, and why, or "" and nil.
func Across[S any](c *Checker, tag string, check func(S) (string, error)) {
	c.explain[tag] = func(v any) error {
		_, err := check(v.(S))
		return err
	}
	c.acrossTags[tag] = true
	t := reflect.TypeFor[S]()
	c.across[t] = append(c.across[t], func(sl validator.StructLevel) {
		s := sl.Current().Interface().(S)
		if param, err := check(s); err != nil {
			// The struct is the value, so that the error is explained
			// by the same check.
			sl.ReportError(s, param, param, tag, "")
		}
	})
	rules := c.across[t]
	c.v.RegisterStructValidation(func(sl validator.StructLevel) {
		for _, rule := range rules {
			rule(sl)
		}
	}, reflect.New(t).Elem().Interface())
}

// Check validates s, a pointer to a configuration struct, and returns an
// error for each broken rule, naming its parameter: the rules of its fields,
// `check` and the SDK's `validate` tags alike, in the order of the fields,
// then the rules across parameters.
func (c *Checker) Check(s any) error {
	rv := reflect.ValueOf(s)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("validate %T: not a pointer to a struct", s) // a programming error
	}
	byParam := map[string][]error{}
	var unplaced, across []error
	err := c.v.Struct(s)
	var broken validator.ValidationErrors
	if err != nil && !errors.As(err, &broken) {
		return fmt.Errorf("validate %T: %w", s, err)
	}
	for _, fe := range broken {
		if c.acrossTags[fe.Tag()] {
			across = append(across, c.fieldError(fe))
			continue
		}
		byParam[fe.Field()] = append(byParam[fe.Field()], c.fieldError(fe))
	}
	fields := sdkTagged(rv.Elem().Type(), nil)
	for _, f := range fields {
		if f.tag == "" {
			continue
		}
		if err := checkSDKTag(rv.Elem().FieldByIndex(f.index), f.tag); err != nil {
			byParam[f.name] = append(byParam[f.name], fmt.Errorf("%q: %w", f.name, err))
		}
	}
	var errs []error
	for _, f := range fields {
		errs = append(errs, byParam[f.name]...)
		delete(byParam, f.name)
	}
	for _, fe := range broken { // fields sdkTagged does not list, in validator's order
		if errs, ok := byParam[fe.Field()]; ok {
			unplaced = append(unplaced, errs...)
			delete(byParam, fe.Field())
		}
	}
	return errors.Join(append(append(errs, unplaced...), across...)...)
}

// fieldError says which parameter breaks which rule. A named rule says why
// itself; validator's own rules are the bounds of numbers and durations,
// whose values are no secret.
func (c *Checker) fieldError(fe validator.FieldError) error {
	param := fe.Field()
	if explain, ok := c.explain[fe.Tag()]; ok {
		return fmt.Errorf("%q: %w", param, explain(fe.Value()))
	}
	zero := fe.Param() == "0" || fe.Param() == "0s"
	switch fe.Tag() {
	case "gt":
		if zero {
			return fmt.Errorf("%q: %v is not positive", param, fe.Value())
		}
		return fmt.Errorf("%q: %v is not more than %s", param, fe.Value(), fe.Param())
	case "gte", "min":
		if zero {
			return fmt.Errorf("%q: %v is negative", param, fe.Value())
		}
		return fmt.Errorf("%q: %v is less than %s", param, fe.Value(), fe.Param())
	case "lte", "max":
		return fmt.Errorf("%q: %v is more than %s", param, fe.Value(), fe.Param())
	}
	// A rule this file does not explain: name it, not the value, which
	// may be a secret.
	return fmt.Errorf("%q: breaks the rule %s=%s", param, fe.Tag(), fe.Param())
}
