package destination

import (
	"fmt"

	"github.com/conduitio/conduit-commons/opencdc"
)

// RecordError is the error of one record of a Write: its index in the
// records written, its position and key, and why.
type RecordError struct {
	Index  int
	Record opencdc.Record
	Err    error
}

func (e *RecordError) Error() string {
	key := "none"
	if e.Record.Key != nil {
		key = string(e.Record.Key.Bytes())
	}
	return fmt.Sprintf("record %d (position %s, key %s): %v", e.Index, e.Record.Position, key, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

func recordError(i int, r opencdc.Record, err error) error {
	return &RecordError{Index: i, Record: r, Err: err}
}
