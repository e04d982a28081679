package decoded_test

import (
	"context"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/decoded"
	"github.com/conduitio/conduit-commons/opencdc"
	"github.com/conduitio/conduit-connector-sdk/schema"
	"github.com/matryer/is"
)

func TestPayload(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	sch, err := schema.Create(ctx, schema.TypeAvro, "decoded.payload",
		[]byte(`{"type":"record","name":"r","fields":[{"name":"email","type":["null","string"]}]}`))
	is.NoErr(err)
	want := opencdc.StructuredData{"email": "a@b.c"}
	raw, err := sch.Marshal(want)
	is.NoErr(err)
	r := opencdc.Record{Metadata: opencdc.Metadata{}}
	schema.AttachPayloadSchemaToRecord(r, sch)

	got, err := decoded.Payload(ctx, r, opencdc.RawData(raw))
	is.NoErr(err)
	is.Equal(got, want) // decoded by the schema named
	got, err = decoded.Payload(ctx, r, want)
	is.NoErr(err)
	is.Equal(got, want) // structured: as it is
	_, err = decoded.Payload(ctx, opencdc.Record{}, opencdc.RawData(raw))
	is.True(err != nil) // bytes that name no schema
	_, err = decoded.Payload(ctx, r, opencdc.RawData("not avro"))
	is.True(err != nil)
}
