// Package decoded gives a record's key or payload as a destination sees it
// behind Conduit's SDK middleware: structured data as it is, and data in
// Avro decoded by the schema the record's metadata names for it. The
// source writes its objects' payloads in Avro itself; tests and the bench
// that read records straight from it, or hand them to a destination
// straight, decode them here.
package decoded

import (
	"context"
	"fmt"

	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/conduitio/conduit-connector-sdk/schema"
)

// Destination is d behind what Conduit puts before a destination to decode
// records: the SDK's schema extraction, at its defaults.
func Destination(d sdk.Destination) sdk.Destination {
	on := true
	return (&sdk.DestinationWithSchemaExtraction{PayloadEnabled: &on, KeyEnabled: &on}).Wrap(d)
}

// Payload returns d, the record's payload before or after, as a map.
func Payload(ctx context.Context, r opencdc.Record, d opencdc.Data) (opencdc.StructuredData, error) {
	switch d := d.(type) {
	case opencdc.StructuredData:
		return d, nil
	case opencdc.RawData:
		subject, err := r.Metadata.GetPayloadSchemaSubject()
		if err != nil {
			return nil, fmt.Errorf("payload in bytes names no schema: %w", err)
		}
		version, err := r.Metadata.GetPayloadSchemaVersion()
		if err != nil {
			return nil, fmt.Errorf("payload in bytes names no schema version: %w", err)
		}
		sch, err := schema.Get(ctx, subject, version)
		if err != nil {
			return nil, fmt.Errorf("get the payload schema %s version %d: %w", subject, version, err)
		}
		var out opencdc.StructuredData
		if err := sch.Unmarshal(d, &out); err != nil {
			return nil, fmt.Errorf("decode the payload by %s version %d: %w", subject, version, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("payload %v is neither structured nor in bytes", d)
}
