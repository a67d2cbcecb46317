# The two commands in the README: `make repl` and `make test`. Both install what is missing first.
SWIFT ?= swift

.PHONY: repl test build deps test-deps examples grammar clean

repl: deps
	$(SWIFT) build --product centreql
	./.build/debug/centreql

test: test-deps
	$(SWIFT) build
	$(SWIFT) test
	./.build/debug/centreql check Examples/*.cql

build: deps
	$(SWIFT) build

deps:
	@./scripts/install-deps

test-deps:
	@./scripts/install-deps --test

# Re-record the expected output blocks of the examples after a deliberate change (review the diff!).
examples: build
	./.build/debug/centreql check --update Examples/*.cql

clean:
	rm -rf .build
