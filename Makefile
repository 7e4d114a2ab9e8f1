# pibkit — `make` installs (if needed) and builds; `make test` is what CI runs.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json

.PHONY: all build test bench size sim firmware flash-espruino clean typecheck

all: build

$(NPM_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $(NPM_STAMP)

build: $(NPM_STAMP)
	node targets/build/build.mjs

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p tsconfig.json

test: build typecheck
	npx vitest run $(VITEST_ARGS)

bench: build
	bin/pibkit bench

size: build
	bin/pibkit size

sim: build
	bin/pibkit sim $(SIM_ARGS)

clean:
	rm -rf dist out

# Firmware only (dist/espruino, dist/moddable, dist/generic); SUITES=insecure-crc32 or
# hmac,insecure-md5,… builds the PIB path with only those suites; MODDABLE_BOARD=moddable-esp8266
# sizes the Moddable manifest's creation block from that board profile (docs/firmware.md).
# ROLE=relay [SUITES=insecure-crc32]: the relay firmware (parse, canonicalize, verify, Relay).
# A bad value stops before anything is built; `node targets/build/build.mjs --help` lists the allowed ones.
firmware: $(NPM_STAMP)
	node targets/build/build.mjs --firmware $(if $(ROLE),--role=$(ROLE)) $(if $(SUITES),--suites=$(SUITES)) $(if $(MODDABLE_BOARD),--board=$(MODDABLE_BOARD))

# make flash-espruino PORT=/dev/ttyACM0 BOARD=espruino-puckjs [FEATURE=pib-path|pib-path+keys|crc-only|full] [SUITES=…]
# Without PORT: dry run into dist/espruino/flash-dryrun.js. Allowed values: node targets/build/flash-espruino.mjs --help
flash-espruino: $(NPM_STAMP)
	node targets/build/flash-espruino.mjs $(if $(PORT),port=$(PORT)) $(if $(BOARD),board=$(BOARD)) $(if $(FEATURE),feature=$(FEATURE)) $(if $(SUITES),suites=$(SUITES))
