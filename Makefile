VERSION := $(shell git describe --tags --dirty --always 2>/dev/null || echo devel)
MODULE  := github.com/conduit-connectors/conduit-connector-hubspot
GOTOOL  := go tool -modfile=tools/go.mod

# tools/gobuild.sh says what it builds, counts the packages against their
# total and times each step: a first build is minutes of silence otherwise.
.PHONY: build
build:
	@tools/gobuild.sh "the connector" conduit-connector-hubspot ./cmd/connector -ldflags "-X '$(MODULE).version=$(VERSION)'"

# install builds the plugin and puts it where Conduit looks for standalone
# connectors: its connectors folder, ./connectors beside Conduit by default
# (--connectors.path). make install CONNECTORS_DIR=/path/to/conduit/connectors
CONNECTORS_DIR ?= connectors
.PHONY: install
install: build
	mkdir -p "$(CONNECTORS_DIR)"
	cp conduit-connector-hubspot "$(CONNECTORS_DIR)/conduit-connector-hubspot"

# release-check checks .goreleaser.yml and builds every archive of a
# release into dist/ without publishing (goreleaser from the Go module
# proxy; the release workflow runs it on a tag). Not part of make test.
GORELEASER := go run github.com/goreleaser/goreleaser/v2@v2.17.0
.PHONY: release-check
release-check:
	$(GORELEASER) check
	$(GORELEASER) release --snapshot --clean

# test is deterministic: the chaos tests run the seeds of
# internal/testkit/chaos/seeds.txt, and the fuzz targets run as unit tests on their
# seed corpora (f.Add and testdata/fuzz), which go test does without -fuzz.
# Exploring new seeds and inputs is make chaos's and make fuzz's.
# A plain go test ./... skips the end-to-end tests without bin/conduit;
# HUBSPOT_E2E_REQUIRED=1 (internal/testkit/conduittest) makes them fail instead, so
# make test is always the full suite.
.PHONY: test
test: race-check bin/conduit
	HUBSPOT_E2E_REQUIRED=1 go test $(GOTEST_FLAGS) -race -count=1 -timeout 30m ./...

# race-check fails at once, before Conduit is built, where -race cannot
# work: the race detector needs cgo, so a C compiler and CGO_ENABLED=1 (Go
# turns cgo off by default when it finds no compiler).
.PHONY: race-check
race-check:
	@if ! command -v go >/dev/null 2>&1; then \
		echo "make test needs Go in PATH (https://go.dev/dl)" >&2; \
		exit 2; \
	fi; \
	cc=$$(go env CC); \
	if ! command -v "$${cc%% *}" >/dev/null 2>&1; then \
		echo "make test needs a C compiler for -race (cgo): install gcc (Debian: apt-get install gcc); go env CC is $$cc, not found in PATH" >&2; \
		exit 2; \
	elif [ "$$(go env CGO_ENABLED)" != 1 ]; then \
		echo "make test needs cgo for -race: go env CGO_ENABLED is $$(go env CGO_ENABLED); set CGO_ENABLED=1" >&2; \
		exit 2; \
	fi

# test-sandbox runs the account tests (TestAccount..., see internal/testkit/sandbox)
# against the real HubSpot account of HUBSPOT_ACCESS_TOKEN: a developer test
# account, never one with data of its own (docs/development.md: "Testing against a real
# account"). One package at a time, so that the tests share the account's
# rate limit in turn.
.PHONY: test-sandbox sandbox-token
test-sandbox: sandbox-token bin/conduit
	HUBSPOT_SANDBOX=1 HUBSPOT_E2E_REQUIRED=1 go test $(GOTEST_FLAGS) -count=1 -p 1 -timeout 30m -run '^TestAccount' -v ./...

# sandbox-token fails at once, before Conduit is built, without a token.
sandbox-token:
	@if [ -z "$$HUBSPOT_ACCESS_TOKEN" ]; then \
		echo 'make test-sandbox: set HUBSPOT_ACCESS_TOKEN to the access token (service key or private app) of a HubSpot developer test account; docs/development.md: "Testing against a real account"' >&2; \
		exit 2; \
	fi

# bin/conduit is a real Conduit v0.14.0 for the end-to-end tests and the
# demo, built from the Go module proxy (tools/conduit pins it); it is built
# once and kept (bin/ is git-ignored). The first build takes minutes:
# build.sh says so and shows progress.
bin/conduit: tools/conduit/go.mod tools/conduit/go.sum
	@tools/conduit/build.sh bin/conduit

.PHONY: conduit
conduit: bin/conduit

# demo runs the HubSpot-to-file pipeline in a real Conduit against the
# simulator (or the account of HUBSPOT_ACCESS_TOKEN) and shows the records.
.PHONY: demo
demo: build bin/conduit
	@tools/gobuild.sh "the demo" bin/hubspot-demo ./cmd/hubspot-demo
	bin/hubspot-demo

# example runs examples/$(NAME).yaml the way demo runs its pipeline: in
# a real Conduit, in a temporary folder, against the simulator (two for
# the examples from one account to another; PostgreSQL too for those into
# it), with the files it reads made up; it shows what reaches the
# destination, and Ctrl-C stops everything it started. TOKEN_LIFETIME
# shortens the OAuth example's access tokens (such as 1m).
.PHONY: example example-name
example: example-name build bin/conduit
	@tools/gobuild.sh "the demo" bin/hubspot-demo ./cmd/hubspot-demo
	bin/hubspot-demo -example $(NAME) $(if $(TOKEN_LIFETIME),-token-lifetime $(TOKEN_LIFETIME))

# example-name fails at once, before anything is built, without a NAME.
example-name:
	@if [ ! -f "examples/$(NAME).yaml" ]; then \
		echo "make example NAME=<one of: $$(cd examples && ls *.yaml | sed 's/\.yaml$$//' | xargs)>" >&2; \
		exit 2; \
	fi

# demo-postgres runs examples/hubspot-to-postgres.yaml in a real Conduit
# from the simulator into a throwaway PostgreSQL cluster on loopback
# (Debian's postgresql: apt-get install postgresql), and prints how to look
# at the table with psql. Ctrl-C stops it and removes the cluster.
.PHONY: demo-postgres
demo-postgres: build bin/conduit
	@tools/gobuild.sh "the demo" bin/hubspot-demo-postgres ./cmd/hubspot-demo-postgres
	bin/hubspot-demo-postgres

# fuzz runs each fuzz target for FUZZTIME (go test runs one target at a
# time). The default is a number of executions: with a duration, Go before
# 1.27 can fail a target with "context deadline exceeded" on a loaded
# machine though no input failed (go.dev/issue/75804). FUZZTIME=1m works too.
# An input that fails is written to the package's testdata/fuzz: commit it,
# and make test runs it from then on.
FUZZTIME ?= 20000x
FUZZ_TARGETS := FuzzConfig:. FuzzParsePosition:./source FuzzPayload:./destination \
	FuzzErrorBody:./hubspot FuzzSearchPage:./hubspot FuzzDecodePage:./hubspot \
	FuzzParse:./internal/typed FuzzFormat:./internal/typed
.PHONY: fuzz
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t%%:*} for $(FUZZTIME)"; \
		go test -run='^$$' -fuzz="^$${t%%:*}\$$" -fuzztime=$(FUZZTIME) $${t#*:}; \
	done

# chaos runs the chaos tests long with a new random seed (CHAOS_SEED
# replays one): CHAOS_RUNS restarts or rounds. It prints the seed and the
# lost, repeat and duplicate counts. A seed that fails goes into
# internal/testkit/chaos/seeds.txt, which make test runs.
CHAOS_RUNS ?= 1000
.PHONY: chaos
chaos: SHELL := /bin/bash
chaos: .SHELLFLAGS := -o pipefail -c
chaos:
	@seed=$(or $(CHAOS_SEED),$$(date +%s%N)); \
	echo "chaos seed $$seed, $(CHAOS_RUNS) runs (replay: make chaos CHAOS_SEED=$$seed CHAOS_RUNS=$(CHAOS_RUNS))"; \
	CHAOS_SEED=$$seed CHAOS_RUNS=$(CHAOS_RUNS) go test -count=1 -timeout 60m -run 'Chaos|RestartAtRandom' -v ./source ./destination \
		| grep -E '^(---|ok|FAIL|panic)|seed|lost|repeats|duplicates'

# bench measures calls per record, records per second under HubSpot's rate
# limit, CDC lag, heap and CPU against the simulator, and prints a table.
.PHONY: bench
bench:
	go run ./cmd/hubspot-bench

# bench-e2e runs contacts of every property (607) from the simulator, with
# HubSpot's limits on, through the plugin in a real Conduit into a file and
# into PostgreSQL (Debian's postgresql), and prints records/s, the share of
# HubSpot's ceiling, CPU of the plugin, Conduit and the simulator, peak RSS
# of each, and the 429s. 125,000 contacts last 60 s past HubSpot's first
# 10-second window at its ceiling (1,750 records/s); the simulator held
# 100,000 in a peak RSS of 3.7 GiB (docs/performance.md) and takes a minute to
# seed them: BENCH_E2E_CONTACTS sets fewer.
BENCH_E2E_CONTACTS ?= 125000
.PHONY: bench-e2e
bench-e2e: bin/conduit
	go run ./cmd/hubspot-bench -e2e -e2e-contacts $(BENCH_E2E_CONTACTS)

.PHONY: generate
generate:
	go generate ./...

# generate-check fails when connector.yaml, docs/parameters.md or the mocks
# are stale.
.PHONY: generate-check
generate-check: generate
	git diff --exit-code -- connector.yaml docs/parameters.md mock/

.PHONY: lint
lint:
	$(GOTOOL) golangci-lint run ./...

.PHONY: fmt
fmt:
	gofmt -w $$(git ls-files '*.go')
