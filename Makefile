# Tenure: the two setup commands are `make demo` and `make test` (both idempotent).
SWIFT ?= swift
# libssl-dev: SHA-256 (model checksums, run manifests). libsnappy-dev, libzstd-dev, liblz4-dev: Parquet pages.
# libpq-dev: PostgreSQL as a source; postgresql: the throwaway server the tests start (scripts/pg-cluster.sh).
# chromium: the report test opens the HTML report in headless Chromium (Tests/ReportTests/BrowserTests.swift).
# openmpi-bin, libopenmpi-dev: `train --distributed` under mpirun (libmpi.so.40 is loaded at run time, not linked).
DEB_PACKAGES := libopenblas-dev liblapacke-dev zlib1g-dev libssl-dev libsnappy-dev libzstd-dev liblz4-dev libpq-dev postgresql chromium openmpi-bin libopenmpi-dev
# patchelf: `make install` points the installed binary and library at the runtime copied next to them.
INSTALL_PACKAGES := patchelf
BIN := .build/release/tenure
LIB := .build/release/libtenurec.so

.PHONY: deps build build-lib demo test test-release install uninstall install-check readme-session \
	readme-session-check models demo-data bench fuzz clean

# Installs the Debian packages $(1) that are missing, and only those.
define ensure-packages
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

# Install the Debian packages the C shims link against, only when one is missing.
deps:
	$(call ensure-packages,$(DEB_PACKAGES))

build: deps
	$(SWIFT) build -c release --product tenure

build-lib: deps
	$(SWIFT) build -c release --product tenurec

demo: build
	scripts/demo.sh $(BIN)

test: deps
	scripts/with-postgres.sh $(SWIFT) test --parallel

# The same suite built the way `tenure` ships: -c release, with the release-only flags of Package.swift
# (-enforce-exclusivity=unchecked), so an optimiser- or exclusivity-dependent bug cannot hide behind debug.
test-release: deps
	scripts/with-postgres.sh $(SWIFT) test -c release --parallel

# `make install [PREFIX=/usr/local] [DESTDIR=staging]`: $(PREFIX)/bin/tenure, $(PREFIX)/lib/libtenurec.so,
# $(PREFIX)/include/tenure.h. Swift has no stable ABI on Linux, so both need the very runtime they were built
# with: its libraries are copied into $(PREFIX)/lib/tenure and the RUNPATHs point there relative to $ORIGIN.
# That survives a toolchain upgrade or removal and a DESTDIR staged for another machine, where an rpath into
# the build machine's toolchain would not. scripts/install.sh does the work; `make install-check` tests it.
PREFIX ?= /usr/local
DESTDIR ?=
install: build build-lib
	$(call ensure-packages,$(INSTALL_PACKAGES))
	scripts/install.sh install "$(DESTDIR)$(PREFIX)" $(BIN) $(LIB) include/tenure.h
	@# A program linked with -ltenurec finds the library through ld.so's cache (a package's trigger does this).
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall:
	scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

# Installs into a temporary prefix and runs the installed binary and a C program against the installed header
# and library, with a clean environment (CI runs it after test-release, which has built release already).
install-check:
	scripts/install-check.sh

# The README's "A session" block is the output of running it (scripts/readme-session.sh): `readme-session`
# rewrites it, `readme-session-check` (CI, after test-release) fails with a diff when it is stale.
readme-session: build
	scripts/readme-session.sh $(BIN)

readme-session-check: build
	scripts/readme-session.sh --check $(BIN)

# The shipped models: the demo models and the CDNOW model (protocol in datasets/cdnow/README.md).
CDNOW_FLAGS := --events datasets/cdnow/CDNOW_master.txt --format whitespace --user-col customer_id \
	--time-col date --value-col dollar_value --task churn --lookback all --horizon 273d \
	--cutoff 1997-04-01,1997-05-01,1997-06-01,1997-07-01,1997-08-01,1997-09-01,1997-10-01
models: build
	$(BIN) train --events datasets/demo/events.csv.gz --task churn --cutoff 2026-02-01..2026-06-14/7d --model logistic --out models/demo-churn-logistic.tenure
	$(BIN) train --events datasets/demo/events.csv.gz --task churn --cutoff 2026-02-01..2026-06-14/7d --model gbdt --trees 200 --early-stopping-rounds 20 --out models/demo-churn-gbdt.tenure
	$(BIN) train $(CDNOW_FLAGS) --model logistic --out models/cdnow-logistic.tenure
	$(BIN) train $(CDNOW_FLAGS) --model gbdt --trees 300 --learning-rate 0.05 --out models/cdnow-gbdt.tenure

# The bundled demo log (deterministic: the same bytes every time).
demo-data: build
	$(BIN) generate --users 2000 --days 180 --seed 42 --out datasets/demo/events.csv
	gzip -9nf datasets/demo/events.csv

bench: build
	bench/run

# libFuzzer over every reader and loader (scripts/fuzz.sh; targets in Sources/FuzzTargets, seeds, dictionaries and
# regressions in fuzz/): FUZZ_SECONDS per target, one line each, non-zero exit on a crash, leak or timeout.
# `make test` replays the committed inputs without a sanitizer (Tests/FuzzReplayTests).
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf .build
