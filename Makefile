# pibkit — `make` installs (if needed) and builds; `make test` is what CI runs.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json

.PHONY: all build test bench size sim firmware flash-espruino clean typecheck

all: build

$(NPM_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $(NPM_STAMP)

build: $(NPM_STAMP)
	node targets/build.mjs

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p tsconfig.json

test: build typecheck
	npx vitest run

bench: build
	bin/pibkit bench

size: build
	node bin/pibkit size

sim: build
	node bin/pibkit sim

clean:
	rm -rf dist out
