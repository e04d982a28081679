package destination

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Values of a CMS object's fields as a payload may write them, and the
// limits of the look-up of a lost create.

const (
	// maxLostCMSCreates is how many creates of one object may lose their
	// answers, each followed by a look-up that finds nothing, before the
	// record fails.
	maxLostCMSCreates = 3
	// lostCreateSkew is how far before a create the look-up of a lost
	// answer starts reading, for the clocks of this machine and HubSpot.
	lostCreateSkew = 5 * time.Minute
)

// wholeNumber is a whole number of bits bits of any Go or JSON type, or
// one written as text.
func wholeNumber(v any, bits int) (int64, error) {
	limit := float64(int64(1)<<(bits-1) - 1)
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > limit {
			return 0, fmt.Errorf("want a whole number")
		}
		return int64(v), nil
	case float32:
		return wholeNumber(float64(v), bits)
	case *big.Rat:
		if v == nil || !v.IsInt() || !v.Num().IsInt64() {
			return 0, fmt.Errorf("want a whole number")
		}
		return wholeNumber(strconv.FormatInt(v.Num().Int64(), 10), bits)
	case bool:
		return 0, fmt.Errorf("a bool cannot be a number")
	case string, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		n, err := strconv.ParseInt(strings.TrimSpace(fmt.Sprint(v)), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("want a whole number")
		}
		return n, nil
	default:
		return 0, fmt.Errorf("a %T cannot be a number", v)
	}
}

// boolValue is a bool, or one written as text ("true", "false").
func boolValue(v any) (bool, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return false, fmt.Errorf("want true or false")
		}
		return b, nil
	default:
		return false, fmt.Errorf("a %T cannot be a bool", v)
	}
}

// keepFields keeps of each object of a JSON list the fields keep names (a
// HubDB column's name, label, type, ...: not its id, another account's).
func keepFields(raw json.RawMessage, keep []string) (json.RawMessage, error) {
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &objs); err != nil {
		return nil, fmt.Errorf("want a list of objects")
	}
	out := make([]map[string]json.RawMessage, len(objs))
	for i, o := range objs {
		out[i] = map[string]json.RawMessage{}
		for _, f := range keep {
			if v, ok := o[f]; ok && string(v) != "null" {
				out[i][f] = v
			}
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return b, nil
}
