package source

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/conduitio/conduit-connector-sdk/schema"
)

// Middleware is the source's middleware: the SDK's default set
// (sdk.DefaultSourceMiddleware), in its order and with its parameters,
// but for the encoding and the schema extraction, which pass the payloads
// the source wrote in Avro itself (shape.encode) as they are. The SDK's
// SourceWithEncoding also finds a record's serde by the fingerprint of
// its schema's text, computed again for every record: for a payload
// schema of 607 fields that was 14 % of the plugin's CPU in a wide
// snapshot (conduit-commons rabin.update, by a profile of hubspot-bench
// -only pluginCPU). Encoding keeps the SDK's contract and looks the serde
// up by the schema's subject and version instead.
type Middleware struct {
	sdk.UnimplementedSourceConfig

	sdk.SourceWithBatch
	Encoding
	sdk.SourceWithSchemaContext
	SchemaExtraction
}

// Validate validates the middlewares that have something to validate, as
// sdk.DefaultSourceMiddleware's Validate does.
func (c *Middleware) Validate(ctx context.Context) error {
	var errs []error
	for _, m := range []any{&c.SourceWithBatch, &c.Encoding, &c.SourceWithSchemaContext, &c.SchemaExtraction} {
		if v, ok := m.(sdk.Validatable); ok {
			errs = append(errs, v.Validate(ctx))
		}
	}
	return errors.Join(errs...)
}

// Encoding encodes a record's structured key and payload with the schemas
// its metadata names (subject and version), and attaches them, as the SDK's
// SourceWithEncoding does, byte for byte; a record that names none is left
// as it is. A schema version never changes once registered, so the serde
// of each is built once, with a writer of its records' Avro
// (recordWriter) that the serde's Marshal backs.
type Encoding struct{}

// Wrap wraps impl in the encoding.
func (Encoding) Wrap(impl sdk.Source) sdk.Source {
	return &encodingSource{Source: impl, serdes: map[schemaVersion]serde{}}
}

type encodingSource struct {
	sdk.Source

	keyWarnOnce     sync.Once
	payloadWarnOnce sync.Once
	mu              sync.Mutex
	// serdes are the schemas met so far, by subject and version: a source
	// has a few (key, payload, merged per resource, and a payload version
	// per change of the properties).
	serdes map[schemaVersion]serde
}

type schemaVersion struct {
	subject string
	version int
}

// serde is a registered schema and the serde it encodes with, and its
// record writer (nil for a schema that is not a record).
type serde struct {
	schema schema.Schema
	serde  schema.Serde
	writer *recordWriter
}

// marshal returns v in Avro, as the serde's Marshal does.
func (sd serde) marshal(v opencdc.StructuredData) ([]byte, error) {
	if sd.writer != nil {
		if b, ok := sd.writer.write(v); ok {
			return b, nil
		}
	}
	return sd.serde.Marshal(v) //nolint:wrapcheck // the caller says what it encoded
}

func (s *encodingSource) Read(ctx context.Context) (opencdc.Record, error) {
	rec, err := s.Source.Read(ctx)
	if err != nil {
		return rec, err //nolint:wrapcheck // the source's own error, as the SDK's middleware returns it
	}
	return rec, s.encode(ctx, &rec)
}

func (s *encodingSource) ReadN(ctx context.Context, n int) ([]opencdc.Record, error) {
	recs, err := s.Source.ReadN(ctx, n)
	if err != nil {
		return recs, err //nolint:wrapcheck // the source's own error, as the SDK's middleware returns it
	}
	for i := range recs {
		if err := s.encode(ctx, &recs[i]); err != nil {
			return recs, fmt.Errorf("unable to encode record %d: %w", i, err)
		}
	}
	return recs, nil
}

func (s *encodingSource) encode(ctx context.Context, rec *opencdc.Record) error {
	if err := s.encodePart(ctx, rec, "key", &s.keyWarnOnce, &rec.Key); err != nil {
		return err
	}
	return s.encodePart(ctx, rec, "payload", &s.payloadWarnOnce, &rec.Payload.Before, &rec.Payload.After)
}

// encodePart encodes the structured data of the record's key or payload
// (part) with the schema its metadata names for it, and attaches that
// schema; it warns once if a part is never structured.
func (s *encodingSource) encodePart(ctx context.Context, rec *opencdc.Record, part string, warn *sync.Once, data ...*opencdc.Data) error {
	if !slices.ContainsFunc(data, func(d *opencdc.Data) bool { _, ok := (*d).(opencdc.StructuredData); return ok }) {
		if encoded(rec, part) {
			return nil
		}
		warn.Do(func() {
			sdk.Logger(ctx).Warn().Msgf(`record %ss produced by this connector are not structured and won't be encoded"`, part)
		})
		return nil
	}
	sd, ok, err := s.named(ctx, rec, part)
	if !ok {
		return err
	}
	for _, d := range data {
		v, ok := (*d).(opencdc.StructuredData)
		if !ok {
			continue
		}
		encoded, err := sd.marshal(v)
		if err != nil {
			return fmt.Errorf("failed to encode %s: failed to marshal data with schema: %w", part, err)
		}
		*d = opencdc.RawData(encoded)
	}
	if part == "key" {
		schema.AttachKeySchemaToRecord(*rec, sd.schema)
	} else {
		schema.AttachPayloadSchemaToRecord(*rec, sd.schema)
	}
	return nil
}

// encoded reports whether the record's key or payload (part), which is not
// structured, names its schema: the source wrote it in Avro itself
// (shape.encode), so there is nothing to encode and nothing to warn of.
func encoded(rec *opencdc.Record, part string) bool {
	if part == "payload" {
		return named(rec.Metadata, opencdc.MetadataPayloadSchemaSubject, opencdc.MetadataPayloadSchemaVersion)
	}
	return named(rec.Metadata, opencdc.MetadataKeySchemaSubject, opencdc.MetadataKeySchemaVersion)
}

// named returns the serde of the schema a record's metadata names for
// its key or its payload (part), by subject and version; false for none
// (or an error: a subject without a version, or the other way round).
func (s *encodingSource) named(ctx context.Context, rec *opencdc.Record, part string) (serde, bool, error) {
	if rec.Metadata == nil {
		rec.Metadata = opencdc.Metadata{}
	}
	subjectOf, versionOf := rec.Metadata.GetKeySchemaSubject, rec.Metadata.GetKeySchemaVersion
	if part == "payload" {
		subjectOf, versionOf = rec.Metadata.GetPayloadSchemaSubject, rec.Metadata.GetPayloadSchemaVersion
	}
	subject, err := subjectOf()
	if err != nil && !errors.Is(err, opencdc.ErrMetadataFieldNotFound) {
		return serde{}, false, fmt.Errorf("failed to get %s schema subject: %w", part, err)
	}
	version, err := versionOf()
	if err != nil && !errors.Is(err, opencdc.ErrMetadataFieldNotFound) {
		return serde{}, false, fmt.Errorf("failed to get %s schema version: %w", part, err)
	}
	switch {
	case subject != "" && version > 0:
		sd, err := s.serde(ctx, subject, version)
		return sd, err == nil, err
	case subject != "" || version > 0:
		return serde{}, false, fmt.Errorf("found metadata fields %s subject %q and version %d, expected both set to valid values, this is a bug in the connector", part, subject, version)
	}
	return serde{}, false, nil
}

// serde returns the schema subject's version from Conduit's schema
// service, and its serde, fetched and built the first time.
func (s *encodingSource) serde(ctx context.Context, subject string, version int) (serde, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := schemaVersion{subject: subject, version: version}
	if sd, ok := s.serdes[k]; ok {
		return sd, nil
	}
	sch, err := schema.Get(ctx, subject, version)
	if err != nil {
		return serde{}, fmt.Errorf("get schema %s version %d: %w", subject, version, err)
	}
	srd, err := sch.Serde()
	if err != nil {
		return serde{}, fmt.Errorf("failed to get serde for schema: %w", err)
	}
	sd := serde{schema: sch, serde: srd}
	if sch.Type == schema.TypeAvro {
		sd.writer = newRecordWriter(sch.Bytes)
	}
	s.serdes[k] = sd
	return sd, nil
}
