# Fairground — the two commands of the quick start are `make demo` and `make test`.
SWIFT       ?= swift
APT_PACKAGES = libopenblas-dev liblapacke-dev
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_OUT    ?= demo-output
# Release builds of the tests keep internal symbols reachable for @testable imports.
TESTING      = -Xswiftc -enable-testing -Xswiftc -DFAIRGROUND_FAULT_HOOKS
# The project's own builds treat warnings as errors; otherwise they are the plain `swift build -c release` anyone
# gets (the numeric kernels choose their CPU form at run time, so no target-CPU flag is needed for full speed).
STRICT       = -Xswiftc -warnings-as-errors

.PHONY: deps build test test-figures demo release install clean

## deps: install OpenBLAS and LAPACKE from Debian when they are missing
deps:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }

build: deps
	$(SWIFT) build $(STRICT)

release: deps
	$(SWIFT) build -c release --product fairground $(STRICT)

## test: the whole suite (Swift Testing), in release mode: the statistical tests generate 100k-user populations
test: deps
	$(SWIFT) build -c release --build-tests $(TESTING) $(STRICT)
	FAIRGROUND_BIN=$$($(SWIFT) build -c release --show-bin-path)/fairground \
	  $(SWIFT) test -c release $(TESTING) $(STRICT) --skip-build --disable-xctest

## test-figures: after `make test`, the tests that quote figures from a trained model or BLAS (walk-throughs, model
## quality, verdicts, sharded and single-machine reports) again, e.g. under another OpenBLAS kernel family:
##   OPENBLAS_CORETYPE=SandyBridge make test-figures      FAIRGROUND_KERNELS=baseline make test-figures
FIGURE_TESTS = NotebookRuns|qualityDoesNotFallAsEpsilonGrows|theAttacksEmpiricalEpsilon|MembershipAttack|ModelQualityTests|VerdictTests|PrivacyViewTests|CIContract|SignedAttribution|reportsAreReadable|anAuditTooLarge|KernelPathTests|ShardedAudit|ShardedEngine|NormOrderedScoring|EndToEndRun|theBaselineKernelsTrain
test-figures:
	FAIRGROUND_BIN=$$($(SWIFT) build -c release --show-bin-path)/fairground \
	  $(SWIFT) test -c release $(TESTING) $(STRICT) --skip-build --disable-xctest --filter '$(FIGURE_TESTS)'

## demo: the whole pipeline on the built-in default scenario
demo: release
	$$($(SWIFT) build -c release --show-bin-path)/fairground run --out $(DEMO_OUT)
	@echo "demo output in $(DEMO_OUT)/"

## install: a self-contained `fairground` in $(PREFIX)/bin, the Swift runtime and Foundation linked in statically:
## it runs on any Debian machine with OpenBLAS and LAPACKE (libopenblas0, liblapacke) and no Swift toolchain.
PREFIX      ?= /usr/local
install: deps
	$(SWIFT) build -c release --product fairground --static-swift-stdlib --scratch-path .build-static $(STRICT)
	install -D -m 755 .build-static/release/fairground $(DESTDIR)$(PREFIX)/bin/fairground
	@echo "installed $(DESTDIR)$(PREFIX)/bin/fairground"

clean:
	rm -rf .build .build-static $(DEMO_OUT)
