package destination

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
	"github.com/conduitio/conduit-commons/opencdc"
)

// The fields of a pipeline or stage record, as the source writes them.
const (
	pipeFieldLabel         = "label"
	pipeFieldDisplayOrder  = "displayOrder"
	pipeFieldPipelineID    = "pipelineId"
	pipeFieldPipelineLabel = "pipelineLabel"
	pipeFieldPipelineOrder = "pipelineDisplayOrder"
	pipeFieldMetadata      = "metadata"
)

// errNoLabel is a record without a label, which a delete may be: its key
// finds what it deletes.
var errNoLabel = errors.New("the payload has no label")

// pipelineRecord is what a pipeline or stage record says: its own label
// and display order, and of a stage its pipeline's and its metadata.
type pipelineRecord struct {
	id            string
	label         string
	displayOrder  *int
	pipelineID    string
	pipelineLabel string
	pipelineOrder *int
	metadata      map[string]string
}

// pipelineRecordOf reads a payload; a stage's metadata is the JSON of its
// metadata field, or else its probability, isClosed and ticketState
// fields.
func pipelineRecordOf(payload opencdc.Data, stage bool) (pipelineRecord, error) {
	data, err := recordData(payload)
	if err != nil {
		return pipelineRecord{}, err
	}
	text := func(name string) (string, error) {
		switch v := data[name].(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		default:
			return "", fmt.Errorf("field %s: want a string, not a %T", name, v)
		}
	}
	number := func(name string) (*int, error) {
		if data[name] == nil {
			return nil, nil
		}
		n, err := wholeNumber(data[name], 32)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		i := int(n)
		return &i, nil
	}
	var errs []error
	str := func(name string) string { s, err := text(name); errs = append(errs, err); return s }
	num := func(name string) *int { n, err := number(name); errs = append(errs, err); return n }
	out := pipelineRecord{id: str("id"), label: str(pipeFieldLabel), displayOrder: num(pipeFieldDisplayOrder)}
	if stage {
		out.pipelineID, out.pipelineLabel, out.pipelineOrder = str(pipeFieldPipelineID), str(pipeFieldPipelineLabel), num(pipeFieldPipelineOrder)
		var err error
		out.metadata, err = stageMetadata(data)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return out, err
	}
	if out.label == "" {
		return out, fmt.Errorf("field %s: %w", pipeFieldLabel, errNoLabel)
	}
	return out, nil
}

// stageMetadata is a stage record's metadata.
func stageMetadata(data map[string]any) (map[string]string, error) {
	if raw, ok := data[pipeFieldMetadata].(string); ok && raw != "" {
		var m hubspot.StageMetadata
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, fmt.Errorf("field %s: %w", pipeFieldMetadata, err)
		}
		return m, nil
	}
	out := map[string]string{}
	for _, k := range []string{hubspot.StageProbability, hubspot.StageIsClosed, hubspot.StageTicketState} {
		switch v := data[k].(type) {
		case nil:
		case string:
			out[k] = v
		case bool:
			out[k] = strconv.FormatBool(v)
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out, nil
}
