package destination

import (
	"errors"
	"fmt"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// refusal is HubSpot's refusal of an op, saying which of the values the
// record sent HubSpot refused and under which of the account's rules: the
// property, the rule's code and message, and the value, so that whoever
// reads the record in a dead-letter queue sees what to fix. An account's
// property validation rules refuse values at every API version; from
// 2026-09 HubSpot also refuses a write without a property the account
// requires (https://developers.hubspot.com/changelog/crm-api-write-validation-enforcement).
func refusal(o op, err error) error {
	var refused interface{ InvalidValues() []hubspot.InvalidValue }
	if !errors.As(err, &refused) {
		return err
	}
	values := refused.InvalidValues()
	if len(values) == 0 {
		return err
	}
	parts := make([]string, len(values))
	for i, v := range values {
		rule := v.Code
		if v.Message != "" {
			rule += " (" + v.Message + ")"
		}
		if sent, ok := o.props.Get(v.Property); ok && sent != "" {
			parts[i] = fmt.Sprintf("property %s, value %q: refused by %s", v.Property, sent, rule)
		} else {
			parts[i] = fmt.Sprintf("property %s, no value in the record: refused by %s", v.Property, rule)
		}
	}
	return fmt.Errorf("%s: %w", strings.Join(parts, "; "), err)
}
