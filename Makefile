# tarn: the two commands are `make up` and `make test` (see README.md). Every target installs what
# is missing first (scripts/install-deps.sh: Debian packages, then the npm test clients).
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
# Warnings are errors in CI.
WERROR := $(if $(filter true 1,$(CI)),ON,OFF)
TARN := build/release/tarn

.PHONY: deps build build-asan up test test-fast bench format clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release -DTARN_WERROR=$(WERROR) > build-configure.log 2>&1 || { cat build-configure.log; exit 1; }
	@rm -f build-configure.log
	cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan -DTARN_WERROR=$(WERROR) > build-configure.log 2>&1 || { cat build-configure.log; exit 1; }
	@rm -f build-configure.log
	cmake --build --preset asan -j $(JOBS)

# Starts tarn on ./tarn-data and prints its URLs; Ctrl-C stops it.
up: build
	$(TARN) up

# One ctest run over both trees: unit tests from the sanitized build, end-to-end tests (real
# clients against a real tarn process) from the release build.
build/CTestTestfile.cmake:
	@mkdir -p build
	@printf 'subdirs("asan")\nsubdirs("release")\n' > $@

test: build build-asan build/CTestTestfile.cmake
	cd build && ctest --output-on-failure -j $(JOBS) --timeout 900

# All but the slow and fuzz tests, for quick local loops.
test-fast: build build-asan build/CTestTestfile.cmake
	cd build && ctest --output-on-failure -j $(JOBS) -LE 'slow|fuzz'

bench: build
	bash bench/run.sh $(TARN)

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
