# The two commands in the README: `make repl` and `make test`. Both install what is missing first.
SWIFT ?= swift

.PHONY: repl test build deps test-deps examples benchmark fuzz clean

repl: deps
	$(SWIFT) build --product centreql
	./.build/debug/centreql

# FUZZ_SECONDS: how long `make test` fuzzes each path (libFuzzer + AddressSanitizer; see scripts/fuzz).
FUZZ_SECONDS ?= 20
test: test-deps
	$(SWIFT) build
	./scripts/test-postgres start >/dev/null   # a PostgreSQL server on 127.0.0.1 for the SQL tests
	CENTREQL_TEST_POSTGRES="$$(cat .build/postgres/conninfo)" $(SWIFT) test; status=$$?; ./scripts/test-postgres stop; exit $$status
	./.build/debug/centreql check Examples/*.cql
	FUZZ_SEED=$${FUZZ_SEED:-1} ./scripts/fuzz $(FUZZ_SECONDS)   # a fixed seed: a failing run can be repeated

build: deps
	$(SWIFT) build

deps:
	@./scripts/install-deps

test-deps:
	@./scripts/install-deps --test

# Re-record the expected output blocks of the examples after a deliberate change (review the diff!).
examples: build
	./.build/debug/centreql check --update Examples/*.cql

# The side-by-side benchmark against SQLite (release build; see BENCHMARKS.md). SIZES=10000,100000 for a quick run.
SIZES ?= 10000,100000,1000000
# DuckDB runs beside them when pip can install it (into .build/venv); otherwise the run says it was skipped.
benchmark: deps
	./scripts/install-deps --benchmark
	@[ -x .build/venv/bin/python ] && .build/venv/bin/python -c 'import duckdb' 2>/dev/null \
	  || { python3 -m venv .build/venv && .build/venv/bin/pip install --quiet duckdb; } \
	  || echo "DuckDB could not be installed (python3-venv and pip are needed): the benchmark runs without it"
	$(SWIFT) run -c release CentreQLBenchmarks --sizes $(SIZES) \
	  $$(.build/venv/bin/python -c 'import duckdb' 2>/dev/null && echo --duckdb .build/venv/bin/python)

# A longer fuzzing run: make fuzz FUZZ_SECONDS=600. The corpus grows in .build/fuzz between runs.
fuzz: build
	./scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf .build
