//go:generate go tool -modfile=tools/go.mod conn-sdk-cli specgen
//go:generate go tool -modfile=tools/go.mod conn-sdk-cli readmegen -w -r docs/parameters.md

// Package hubspot is the Conduit connector for HubSpot's CRM.
package hubspot

import (
	"github.com/conduit-connectors/conduit-connector-hubspot/destination"
	"github.com/conduit-connectors/conduit-connector-hubspot/source"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

// Connector is what Conduit loads: the specification, the source and the
// destination.
var Connector = sdk.Connector{
	NewSpecification: Specification,
	NewSource:        source.New,
	NewDestination:   destination.New,
}
