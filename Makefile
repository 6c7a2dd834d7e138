# Tenure: the two setup commands are `make demo` and `make test` (both idempotent).
SWIFT ?= swift
DEB_PACKAGES := libopenblas-dev liblapacke-dev zlib1g-dev
BIN := .build/release/tenure

.PHONY: deps build demo test models bench clean

# Install the Debian packages the C shims link against, only when one is missing.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product tenure

demo: build
	./bench/../scripts/demo.sh $(BIN)

test: deps
	$(SWIFT) test --parallel

clean:
	rm -rf .build
