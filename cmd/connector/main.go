// Command connector is the HubSpot connector as a standalone Conduit plugin.
package main

import (
	"os"
	"time"

	hubspot "github.com/conduit-connectors/conduit-connector-hubspot"
	sdk "github.com/conduitio/conduit-connector-sdk"
)

func main() {
	go exitWithParent(os.Getppid(), time.Second)
	sdk.Serve(hubspot.Connector)
}

// exitWithParent ends the plugin once the process that started it, Conduit,
// is gone. The SDK serves the plugin with hashicorp/go-plugin, whose server
// (v1.6.3) ignores SIGINT and ends only when Conduit asks it to over gRPC:
// a Conduit that is killed, or that exits at once on a second SIGINT
// (v0.14.0), leaves the plugin running forever, reparented. The kernel
// tells a reparented process by its new parent id; polling it works on
// every Unix, where PR_SET_PDEATHSIG is Linux's alone and fires when the
// parent's thread ends, not the parent. A parent id of 1 at the start
// (Conduit as a container's init, or already gone) gives nothing to watch.
func exitWithParent(parent int, every time.Duration) {
	if parent <= 1 {
		return
	}
	t := time.NewTicker(every) // for the life of the process
	for range t.C {
		if os.Getppid() != parent {
			// Nothing to say it to: Conduit read the plugin's output.
			os.Exit(1)
		}
	}
}
