package main

import (
	"os"
	"strings"
)

// loadAverage is the machine's load average over 1, 5 and 15 minutes, as
// uptime prints it: figures measured on a machine other jobs share are
// read with it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}
