// Command connector is the HubSpot connector as a standalone Conduit plugin.
package main

import (
	hubspot "github.com/conduit-connectors/conduit-connector-hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

func main() {
	sdk.Serve(hubspot.Connector)
}
