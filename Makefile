# Sextant's build. `make test` works on a fresh Debian machine: it installs what the tests
# need (PostgreSQL server binaries, a Docker engine and debootstrap) before running them.

GO      ?= go
BIN     ?= bin/sextant
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/sextant-db/sextant/internal/cli.version=$(VERSION)

.PHONY: build test test-corpus bench lint deps demo image

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sextant

# image builds the container image the CI wrappers run: a static binary in dist/, then the
# Dockerfile with dist/ as its context.
IMAGE ?= sextantdb/sextant:$(VERSION)
image:
	mkdir -p dist
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o dist/sextant ./cmd/sextant
	docker build -f Dockerfile -t $(IMAGE) dist

# release builds the release archives of VERSION (a vX.Y.Z tag) for Linux, macOS and Windows on
# amd64 and arm64, with SHA256SUMS, in dist/release (scripts/release.sh).
.PHONY: release
release:
	VERSION=$(VERSION) GO=$(GO) bash scripts/release.sh

# deps installs the PostgreSQL server binaries, and the Docker engine and debootstrap that the
# image test and the docker:// dev database tests use, when they are missing.
#
# PG_VERSIONS ("15 16") is the convergence suite's version matrix: each version is installed
# when missing and the suite runs once on each. Empty: the version Debian ships, and any others
# already installed.
PG_VERSIONS ?=
deps:
	PG_VERSIONS="$(PG_VERSIONS)" bash scripts/install-postgres.sh
	bash scripts/install-docker.sh

# SEXTANT_REQUIRE_DOCKER=1: a test that needs a Docker engine fails, not skips, when it cannot
# have one (internal/dockertest). The tests start a private dockerd when there is no engine and
# the last test process stops it. The longer timeout covers a machine's first run: debootstrap
# of the base image, the image test's apt-get layer and the docker:// provider's PostgreSQL and
# MariaDB test images (apt-get in each), some minutes, cached from then on.
#
# -parallel 4: most parallel tests wait on a database server or on a lock a script holds on
# purpose, so twice as many as the machine has cores keeps both busy. (-p 4, four packages at
# once as well, made the suite slower here: the packages fight over two cores.)
#
# After the suite, FuzzRedact (internal/dburl: no credential in any message) fuzzes for a short
# while beyond its seeds, which the suite has run already; then the binary must build for
# Windows and macOS, which make release ships.
test: deps
	$(GO) vet ./...
	SEXTANT_REQUIRE_DOCKER=1 SEXTANT_TEST_PG_VERSIONS="$(PG_VERSIONS)" $(GO) test -race -count=1 -parallel 4 -timeout 20m ./...
	$(GO) test -run '^$$' -fuzz FuzzRedact -fuzztime 20s ./internal/dburl
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/sextant
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/sextant

# test-corpus runs the sqldef schema-diff cases from ../shared/corpora/sqldef as a convergence
# corpus (read in place, never copied).
test-corpus: deps
	@log=$$(mktemp); $(GO) test -count=1 -timeout 30m -run TestCorpus -v ./internal/plan/ -corpus ../shared/corpora/sqldef >$$log 2>&1; rc=$$?; grep -vE '^ *(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|SKIP): |corpus_test\.go:[0-9]+: (excluded|version|flavor|empty)\b)' $$log | tail -n 60; rm -f $$log; exit $$rc

bench: deps build
	$(GO) test -run '^$$' -bench . -benchtime 5x ./internal/...
	bash bench/bench.sh

# bench-registry load-tests the registry server (bench/registry.sh): SQLite, and PostgreSQL
# too with SEXTANT_BENCH_PG_URL (an empty database's URL, or local for a throw-away cluster).
.PHONY: bench-registry
bench-registry: build
	SEXTANT=$(BIN) bash bench/registry.sh

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# demo plans between two embedded example schemas on an ephemeral local PostgreSQL.
demo: deps
	$(GO) run ./cmd/sextant demo
