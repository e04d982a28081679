package source_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	"github.com/conduitio/conduit-commons/opencdc"
	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/matryer/is"
	"github.com/rs/zerolog"
)

// fixedSource returns copies of the same records at each read: each
// middleware under test encodes records of its own.
type fixedSource struct {
	sdk.UnimplementedSource
	recs []opencdc.Record
	next int
}

func (f *fixedSource) ReadN(context.Context, int) ([]opencdc.Record, error) {
	out := make([]opencdc.Record, len(f.recs))
	for i, r := range f.recs {
		out[i] = r.Clone()
	}
	return out, nil
}

func (f *fixedSource) Read(context.Context) (opencdc.Record, error) {
	r := f.recs[f.next%len(f.recs)].Clone()
	f.next++
	return r, nil
}

// variants returns the records the source emitted and others built from
// them that the source may emit too: an update with its before, a delete
// (before alone), every property null, a key that is not structured, and
// no schema named (left as they are).
func variants(recs []opencdc.Record) []opencdc.Record {
	out := make([]opencdc.Record, 0, 5*len(recs))
	for i, r := range recs {
		out = append(out, r)
		after, _ := r.Payload.After.(opencdc.StructuredData)
		update := r.Clone()
		update.Operation = opencdc.OperationUpdate
		update.Payload.Before = recs[(i+1)%len(recs)].Payload.After.Clone()
		del := r.Clone()
		del.Operation = opencdc.OperationDelete
		del.Payload.Before, del.Payload.After = after.Clone(), nil
		nulls := r.Clone()
		for name := range nulls.Payload.After.(opencdc.StructuredData) {
			if name != "id" && name != "createdAt" && name != "updatedAt" && name != "associations" {
				nulls.Payload.After.(opencdc.StructuredData)[name] = nil
			}
		}
		rawKey := r.Clone()
		rawKey.Key = opencdc.RawData(`{"id":"` + recordIDOf(r) + `"}`)
		unnamed := r.Clone()
		unnamed.Metadata = opencdc.Metadata{}
		out = append(out, update, del, nulls, rawKey, unnamed)
	}
	return out
}

func recordIDOf(r opencdc.Record) string {
	id, _ := r.Key.(opencdc.StructuredData)["id"].(string)
	return id
}

// TestEncodingAsTheSDKs: the source's encoding middleware writes the same
// records, byte for byte and metadata for metadata, as the SDK's
// SourceWithEncoding, over records of every typed kind, with before and
// after, nulls, links, keys not structured and records naming no schema,
// read one at a time and in batches; and fails where it fails.
func TestEncodingAsTheSDKs(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, hubspottest.WithFullPropertyCatalog())
	contacts := seed(t, e.srv, "contacts", 30)
	companies := seed(t, e.srv, "companies", 2)
	for i, c := range contacts[:20] {
		is.NoErr(e.srv.Associate("contacts", c, "companies", companies[i%2]))
	}
	src := openSource(t, e, map[string]string{"associations": "companies"}, nil)
	read := readCount(t, src, 30)
	ctx := context.Background()

	// The source writes its payloads in Avro itself (TestPayloadAsTheSDKEncodes
	// holds them to the SDK's bytes); decoded, they are the structured
	// payloads a source of maps would emit.
	decoded := make([]opencdc.Record, len(read))
	for i, r := range read {
		if _, ok := r.Payload.After.(opencdc.RawData); !ok {
			t.Fatalf("record %d: payload not in Avro: %T", i, r.Payload.After)
		}
		decoded[i] = r.Clone()
		decoded[i].Payload.After = source.StructuredPayload(t, r, r.Payload.After)
	}

	// Encoding encodes what is structured as the SDK's does, and passes
	// the source's own Avro as the SDK's does.
	recs := append(variants(decoded), read...)
	kinds := map[string]int{}
	for _, r := range recs {
		after, _ := r.Payload.After.(opencdc.StructuredData)
		for _, v := range after {
			kinds[goType(v)]++
		}
	}
	for _, kind := range []string{"string", "float64", "bool", "time", "midnight", "[]string", "null", "map[string]interface {}"} {
		if kinds[kind] == 0 {
			t.Errorf("no value of kind %s among the records: %v", kind, kinds)
		}
	}

	want, wantErr := sdk.SourceWithEncoding{}.Wrap(&fixedSource{recs: recs}).ReadN(ctx, len(recs))
	is.NoErr(wantErr)
	got, err := source.Encoding{}.Wrap(&fixedSource{recs: recs}).ReadN(ctx, len(recs))
	is.NoErr(err)
	is.Equal(len(got), len(want))
	for i := range want {
		is.Equal(got[i], want[i]) // a record read in a batch
	}
	if _, ok := got[0].Payload.After.(opencdc.RawData); !ok {
		t.Fatalf("payload not encoded: %T", got[0].Payload.After)
	}

	// The source's own Avro, which names its schema, is no payload "not
	// structured" to warn of; the SDK's warns.
	for _, wrap := range []struct {
		name string
		mw   func(sdk.Source) sdk.Source
		warn bool
	}{{"the SDK's", sdk.SourceWithEncoding{}.Wrap, true}, {"ours", source.Encoding{}.Wrap, false}} {
		var logs bytes.Buffer
		_, err := wrap.mw(&fixedSource{recs: read}).ReadN(zerolog.New(&logs).WithContext(ctx), len(read))
		is.NoErr(err)
		if strings.Contains(logs.String(), "not structured") != wrap.warn {
			t.Errorf("%s encoding: warned %v, want %v: %s", wrap.name, !wrap.warn, wrap.warn, logs.String())
		}
	}

	sdkOne := sdk.SourceWithEncoding{}.Wrap(&fixedSource{recs: recs})
	ours := source.Encoding{}.Wrap(&fixedSource{recs: recs})
	for range recs {
		w, werr := sdkOne.Read(ctx)
		g, gerr := ours.Read(ctx)
		is.Equal(gerr, werr)
		is.Equal(g, w) // a record read alone
	}

	// A record that names a subject without a version, or a version of no
	// schema, fails both.
	for _, meta := range []opencdc.Metadata{
		{opencdc.MetadataPayloadSchemaSubject: "contacts.payload"},
		{opencdc.MetadataPayloadSchemaSubject: "contacts.payload", opencdc.MetadataPayloadSchemaVersion: "99"},
		{opencdc.MetadataKeySchemaSubject: "nothing", opencdc.MetadataKeySchemaVersion: "1"},
	} {
		bad := recs[0].Clone()
		bad.Metadata = meta
		_, werr := sdk.SourceWithEncoding{}.Wrap(&fixedSource{recs: []opencdc.Record{bad}}).ReadN(ctx, 1)
		_, gerr := source.Encoding{}.Wrap(&fixedSource{recs: []opencdc.Record{bad}}).ReadN(ctx, 1)
		is.True(werr != nil) // the SDK's fails
		is.True(gerr != nil) // and ours
	}
}

// TestSchemaExtractionAsTheSDKs: the source's schema extraction gives the
// records the SDK's gives, those that name their schemas and those that
// name none (whose schemas it extracts); and it does not warn of the
// payloads the source wrote in Avro itself, which the SDK's does.
func TestSchemaExtractionAsTheSDKs(t *testing.T) {
	is := is.New(t)
	e := newEnv(t)
	seed(t, e.srv, "contacts", 3)
	src := openSource(t, e, nil, nil)
	read := readCount(t, src, 3)
	unnamed := make([]opencdc.Record, len(read))
	for i, r := range read {
		unnamed[i] = r.Clone()
		unnamed[i].Payload.After = source.StructuredPayload(t, r, r.Payload.After)
		unnamed[i].Metadata = opencdc.Metadata{opencdc.MetadataCollection: "contacts"}
	}
	recs := slices.Concat(read, unnamed)

	extract := func(wrap func(sdk.Source) sdk.Source) ([]opencdc.Record, string) {
		var logs bytes.Buffer
		ctx := zerolog.New(&logs).WithContext(context.Background())
		out, err := wrap(&fixedSource{recs: recs}).ReadN(ctx, len(recs))
		is.NoErr(err)
		return out, logs.String()
	}
	on, keySubject, payloadSubject := true, "key", "payload" // the SDK's defaults
	sdkMW := sdk.SourceWithSchemaExtraction{
		SchemaTypeStr: "avro", PayloadEnabled: &on, PayloadSubject: &payloadSubject, KeyEnabled: &on, KeySubject: &keySubject,
	}
	ours := source.SchemaExtraction{SourceWithSchemaExtraction: sdkMW}
	want, sdkLogs := extract(sdkMW.Wrap)
	got, ourLogs := extract(ours.Wrap)
	is.Equal(got, want)
	for i := range read {
		is.Equal(got[i], read[i]) // named: as it was
	}
	_, extracted := got[len(read)].Metadata[opencdc.MetadataPayloadSchemaSubject]
	is.True(extracted) // named none: extracted
	is.True(strings.Contains(sdkLogs, "not structured"))
	is.True(!strings.Contains(ourLogs, "not structured"))
}
