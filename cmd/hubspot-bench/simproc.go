package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot/hubspottest"
)

// The wide figures measure the connector's CPU alone: the simulator then
// runs in a child process (this program again, with -serve-sim), so that
// getrusage of this process counts no JSON the simulator writes.

// simChild is the simulator in a child process.
type simChild struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	URL   string
	Token string
}

// startSimChild starts this program as a simulator with n contacts of
// every property, HubSpot's limits on or off, and waits until it listens.
func startSimChild(ctx context.Context, n int, limits bool, extra ...string) (*simChild, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("simulator process: %w", err)
	}
	args := append([]string{"-serve-sim", strconv.Itoa(n), "-sim-limits=" + strconv.FormatBool(limits)}, extra...)
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("simulator process: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("simulator process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("simulator process: %w", err)
	}
	c := &simChild{cmd: cmd, in: in, out: bufio.NewReader(out)}
	line, err := c.out.ReadString('\n')
	if err != nil {
		_, _ = c.close()
		return nil, fmt.Errorf("simulator process: no address: %w", err)
	}
	if _, err := fmt.Sscan(line, &c.URL, &c.Token); err != nil {
		_, _ = c.close()
		return nil, fmt.Errorf("simulator process: %q is not an address and a token: %w", line, err)
	}
	return c, nil
}

// do sends the simulator one command (simCommand) and waits for its answer.
func (c *simChild) do(command string) (string, error) {
	if _, err := fmt.Fprintln(c.in, command); err != nil {
		return "", fmt.Errorf("simulator process: %s: %w", command, err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("simulator process: %s: %w", command, err)
	}
	answer, ok := strings.CutPrefix(strings.TrimSpace(line), "ok")
	if !ok {
		return "", fmt.Errorf("simulator process: %s: %s", command, line)
	}
	return strings.TrimSpace(answer), nil
}

// cpu is the CPU time the child used so far.
func (c *simChild) cpu() (time.Duration, error) {
	answer, err := c.do("cpu")
	if err != nil {
		return 0, err
	}
	ns, err := strconv.ParseInt(answer, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("simulator process: cpu %q: %w", answer, err)
	}
	return time.Duration(ns), nil
}

// close ends the child (closing its input ends it) and returns the CPU
// time it used.
func (c *simChild) close() (time.Duration, error) {
	_ = c.in.Close()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return 0, fmt.Errorf("simulator process: %w", err)
		}
		return c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime(), nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		return 0, errors.New("simulator process: did not stop")
	}
}

// simConfig is what the simulator in a child process serves: n contacts
// of every property and extraProps more, HubSpot's limits on or off, and
// where to write a CPU profile of its serving ("": none).
type simConfig struct {
	n, extraProps int
	limits        bool
	profile       string
}

// serveSim is the child's side: it seeds n contacts of every property,
// prints its URL and token, and then answers commands on its input until
// it closes:
//
//	update K   changes the first K contacts' firstname
//	calls      the calls served and 429s since the last calls
//	cpu        the CPU time it used so far, in nanoseconds
//	sample     a contact's writable properties with their values, as JSON
//
// extraProps are custom text properties added to contacts, so that a
// record can carry more properties than the catalogue has writable ones.
func serveSim(ctx context.Context, cfg simConfig, in io.Reader, out io.Writer) error {
	clock := hubspottest.NewOffsetClock(-seedAge)
	opts := []hubspottest.Option{hubspottest.WithFullPropertyCatalog(), hubspottest.WithClock(clock)}
	if !cfg.limits {
		opts = append(opts, hubspottest.WithoutRateLimits())
	}
	srv, err := newSim(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	for i := range cfg.extraProps {
		if err := srv.AddProperty("contacts", hubspottest.PropertyDef{Name: fmt.Sprintf("bench_extra_%03d", i), Type: "string"}); err != nil {
			return fmt.Errorf("add a property: %w", err)
		}
	}
	ids, err := srv.Seed("contacts", cfg.n, nil)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	clock.Set(0)
	if cfg.profile != "" {
		stop, err := startCPUProfile(cfg.profile)
		if err != nil {
			return fmt.Errorf("simulator: %w", err)
		}
		defer stop()
	}
	srv.ResetCalls()
	fmt.Fprintln(out, srv.URL, srv.Token)
	lines := bufio.NewScanner(in)
	for lines.Scan() && ctx.Err() == nil {
		answer, err := simCommand(srv, ids, lines.Text())
		if err != nil {
			fmt.Fprintln(out, "error:", err)
			continue
		}
		fmt.Fprintln(out, "ok", answer)
	}
	return nil
}

func simCommand(srv *hubspottest.Server, ids []string, line string) (string, error) {
	verb, arg, _ := strings.Cut(line, " ")
	switch verb {
	case "update":
		k, err := strconv.Atoi(arg)
		if err != nil || k > len(ids) {
			return "", fmt.Errorf("update %q: not a count of at most %d", arg, len(ids))
		}
		for i := range k {
			if err := srv.Update("contacts", ids[i], map[string]string{"firstname": "Changed " + strconv.Itoa(i)}); err != nil {
				return "", fmt.Errorf("update: %w", err)
			}
		}
		return "", nil
	case "sample":
		return sampleProperties(srv)
	case "cpu":
		return strconv.FormatInt(processCPU().Nanoseconds(), 10), nil
	case "calls":
		answer := fmt.Sprintf("%d %d %s", srv.TotalCalls(), srv.RateLimited(), callsOf(srv))
		srv.ResetCalls()
		return answer, nil
	}
	return "", fmt.Errorf("%q: unknown command", line)
}

// sampleProperties are the first contact's writable properties with its
// values, and a value for each writable property it has none of, as JSON.
func sampleProperties(srv *hubspottest.Server) (string, error) {
	objects := srv.Objects("contacts")
	if len(objects) == 0 {
		return "", errors.New("sample: no contact seeded")
	}
	values := map[string]string{}
	for _, p := range srv.Properties("contacts", false) {
		if p.ReadOnly || p.Unique {
			continue
		}
		if v, ok := objects[0].Properties[p.Name]; ok && v != "" {
			values[p.Name] = v
		} else if p.Type == "string" {
			values[p.Name] = "text of " + p.Name
		}
	}
	b, err := json.Marshal(values)
	if err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	return string(b), nil
}
