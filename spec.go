package hubspot

import (
	_ "embed"

	sdk "github.com/conduitio/conduit-connector-sdk"
)

//go:embed connector.yaml
var specs string

// version is set at build time: -ldflags "-X '...hubspot.version=$(git describe)'".
var version = "(devel)"

// Specification returns the connector's specification, with its version.
func Specification() sdk.Specification {
	return sdk.YAMLSpecification(specs, version)()
}
