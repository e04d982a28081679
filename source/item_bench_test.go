package source

import (
	"fmt"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// BenchmarkItemSum measures the digest every emitted change costs.
func BenchmarkItemSum(b *testing.B) {
	props := hubspot.Properties{}
	for i := range 20 {
		props[fmt.Sprintf("property_%d", i)] = hubspot.String(fmt.Sprintf("value %d", i))
	}
	it := item{row: hubspot.Row{Properties: props}}
	b.ReportAllocs()
	for b.Loop() {
		_ = it.sum()
	}
}
