package source

import (
	"context"

	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// SchemaExtraction is the SDK's SourceWithSchemaExtraction, with its
// parameters, for the records that do not name both their schemas. A
// record whose key and payload name theirs (every record of a resource
// the source types, its payload already in Avro) passes as it is: the
// SDK's would only fetch the schemas it names and attach them again, and
// warn that a payload in Avro is not structured.
type SchemaExtraction struct {
	sdk.SourceWithSchemaExtraction
}

// Wrap wraps impl in the schema extraction.
func (e *SchemaExtraction) Wrap(impl sdk.Source) sdk.Source {
	one := &oneRecord{}
	return &extractingSource{Source: impl, one: one, sdk: e.SourceWithSchemaExtraction.Wrap(one)}
}

type extractingSource struct {
	sdk.Source

	// sdk is the SDK's extraction, reading one record at a time from one.
	sdk sdk.Source
	one *oneRecord
}

// oneRecord is a source of the record it was given, for the SDK's
// extraction to read.
type oneRecord struct {
	sdk.UnimplementedSource
	rec opencdc.Record
}

func (o *oneRecord) Read(context.Context) (opencdc.Record, error) { return o.rec, nil }

func (s *extractingSource) Read(ctx context.Context) (opencdc.Record, error) {
	rec, err := s.Source.Read(ctx)
	if err != nil {
		return rec, err //nolint:wrapcheck // the source's own error, as the SDK's middleware returns it
	}
	return s.extract(ctx, rec)
}

func (s *extractingSource) ReadN(ctx context.Context, n int) ([]opencdc.Record, error) {
	recs, err := s.Source.ReadN(ctx, n)
	if err != nil {
		return recs, err //nolint:wrapcheck // the source's own error, as the SDK's middleware returns it
	}
	for i := range recs {
		if recs[i], err = s.extract(ctx, recs[i]); err != nil {
			return nil, err
		}
	}
	return recs, nil
}

// extract gives the SDK's extraction a record that does not name both its
// schemas.
func (s *extractingSource) extract(ctx context.Context, rec opencdc.Record) (opencdc.Record, error) {
	if named(rec.Metadata, opencdc.MetadataKeySchemaSubject, opencdc.MetadataKeySchemaVersion) &&
		named(rec.Metadata, opencdc.MetadataPayloadSchemaSubject, opencdc.MetadataPayloadSchemaVersion) {
		return rec, nil
	}
	s.one.rec = rec
	return s.sdk.Read(ctx) //nolint:wrapcheck // the SDK's middleware's error, as it returns it
}

// named reports whether the metadata names a schema's subject and version.
func named(meta opencdc.Metadata, subject, version string) bool {
	return meta[subject] != "" && meta[version] != ""
}
