package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// sdkTag is the struct tag the SDK reads: its rules (required, gt, lt,
// inclusion, exclusion, regex) go into connector.yaml, where Conduit's API
// and UI show them, and the SDK checks them when Conduit configures the
// connector. The Checker checks them too, with the same meaning, so that a
// configuration built in code (tests, the commands in cmd/) is held to
// every rule; each rule is still declared once, in its tag.
const sdkTag = "validate"

// modulePath prefixes the packages whose embedded structs the Checker reads
// the SDK's tags of: the SDK's own middleware structs have tags too, which
// their own Validate checks.
func modulePath() string {
	return strings.TrimSuffix(reflect.TypeFor[Config]().PkgPath(), "/config")
}

// paramField is a parameter of a configuration struct with an SDK tag.
type paramField struct {
	name  string // as users write it
	index []int  // reflect.Value.FieldByIndex
	tag   string
}

// sdkTagged lists the fields of struct type t, embedded structs of this
// module included, in the order of the struct, with their SDK tags ("" for
// none), so that their errors keep the order of the other field errors.
func sdkTagged(t reflect.Type, prefix []int) []paramField {
	var fields []paramField
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(slices.Clone(prefix), i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if strings.HasPrefix(f.Type.PkgPath(), modulePath()) {
				fields = append(fields, sdkTagged(f.Type, index)...)
			}
			continue
		}
		if name := paramName(f); name != "" {
			fields = append(fields, paramField{name: name, index: index, tag: f.Tag.Get(sdkTag)})
		}
	}
	return fields
}

// checkSDKTag checks v against the rules of an SDK tag. As the SDK does, an
// empty string passes every rule but required.
func checkSDKTag(v reflect.Value, tag string) error {
	for _, rule := range strings.Split(tag, ",") {
		name, arg, _ := strings.Cut(rule, "=")
		if v.Kind() == reflect.String && v.String() == "" && name != "required" {
			continue
		}
		if err := checkSDKRule(v, name, arg); err != nil {
			return err
		}
	}
	return nil
}

// checkSDKRule checks one rule. Its messages say what the value breaks as
// the Checker's other rules do: the SDK's exclusive bounds of an integer
// read as the inclusive ones users read in the parameter's description.
func checkSDKRule(v reflect.Value, name, arg string) error {
	switch name {
	case "required":
		if v.IsZero() {
			return errors.New("is not set")
		}
		return nil
	case "inclusion", "exclusion":
		list := strings.Split(arg, "|")
		if slices.Contains(list, v.String()) != (name == "inclusion") {
			verb := map[bool]string{true: "is not one of", false: "is one of"}[name == "inclusion"]
			return fmt.Errorf("%q %s %s", v.String(), verb, strings.Join(list, ", "))
		}
		return nil
	case "gt", "greater-than", "lt", "less-than":
		return checkBound(v, name, arg)
	}
	return fmt.Errorf("has the rule %s=%s, which the Checker does not know", name, arg)
}

// checkBound checks an exclusive bound of a number.
func checkBound(v reflect.Value, name, arg string) error {
	bound, err := strconv.ParseFloat(arg, 64)
	if err != nil {
		return fmt.Errorf("has the rule %s=%s, whose bound is no number", name, arg)
	}
	var x float64
	integer := true
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x = float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x = float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		x, integer = v.Float(), false
	default:
		return fmt.Errorf("has the rule %s=%s on a %s, which is no number", name, arg, v.Type())
	}
	value := fmt.Sprint(v.Interface())
	if name == "gt" || name == "greater-than" {
		switch {
		case x > bound:
			return nil
		case integer && bound == -1:
			return fmt.Errorf("%s is negative", value)
		case integer:
			return fmt.Errorf("%s is less than %s", value, strconv.FormatFloat(bound+1, 'f', -1, 64))
		}
		return fmt.Errorf("%s is not more than %s", value, arg)
	}
	switch {
	case x < bound:
		return nil
	case integer:
		return fmt.Errorf("%s is more than %s", value, strconv.FormatFloat(bound-1, 'f', -1, 64))
	}
	return fmt.Errorf("%s is not less than %s", value, arg)
}
