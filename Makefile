# The whole test suite is `make test`; CI runs exactly that (see .ci/run).
export GOTOOLCHAIN := local

# Packages that talk to a database or drive a browser run without -race:
# the race detector makes the SQLite driver 30–50 times slower (a cold -race
# build of it alone takes minutes on 2 cores). Everything else, the pure
# engines above all, runs with -race.
NORACE := /internal/database|/internal/demo|/internal/web|/internal/api|/internal/e2e|/cmd/atip|/bench

.PHONY: test lint unit build
test: lint unit

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

unit:
	go test -race -count=1 $$(go list ./... | grep -v -E '($(NORACE))(/|$$)')
	go test -count=1 -timeout 20m $$(go list ./... | grep -E '($(NORACE))(/|$$)')

build:
	go build -o atip ./cmd/atip
