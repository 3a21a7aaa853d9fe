# tarn: the two commands are `make up` and `make test` (see README.md). Every target installs what
# is missing first (scripts/install-deps.sh: Debian packages, then the npm test clients).
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
# Warnings are errors in CI.
WERROR := $(if $(filter true 1,$(CI)),ON,OFF)
TARN := build/release/tarn

.PHONY: deps build build-asan build-fuzz up test test-fast fuzz bench format clean

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

# The libFuzzer targets (fuzz/): clang-14, ASan+UBSan; builds the libraries they use only.
build-fuzz: deps
	@cmake --preset fuzz -DTARN_WERROR=$(WERROR) > build-configure.log 2>&1 || { cat build-configure.log; exit 1; }
	@rm -f build-configure.log
	cmake --build --preset fuzz -j $(JOBS)

# Starts tarn on ./tarn-data and prints its URLs; Ctrl-C stops it.
up: build
	$(TARN) up

# One ctest run over all trees: unit tests from the sanitized build, end-to-end tests (real
# clients against a real tarn process) from the release build, and a bounded run of each fuzzer
# (label `fuzz`: its checked-in corpus replayed, then fuzzed for a minute) from the fuzz build.
build/CTestTestfile.cmake: Makefile
	@mkdir -p build
	@printf 'subdirs("asan")\nsubdirs("release")\nsubdirs("fuzz")\n' > $@

test: build build-asan build-fuzz build/CTestTestfile.cmake
	cd build && ctest --output-on-failure -j $(JOBS) --timeout 900

# All but the slow and fuzz tests, for quick local loops.
test-fast: build build-asan build/CTestTestfile.cmake
	cd build && ctest --output-on-failure -j $(JOBS) -LE 'slow|fuzz'

# Long fuzzing, one target after the other, FUZZ_SECONDS each, one worker per core; new inputs and
# crashes are kept in build/fuzz-found/<target>/ (see fuzz/run.sh). E.g. `make fuzz
# FUZZ_SECONDS=3600 FUZZERS=parquet_reader`.
FUZZ_SECONDS ?= 600
FUZZERS ?= $(patsubst fuzz/%_fuzzer.cc,%,$(wildcard fuzz/*_fuzzer.cc))
fuzz: build-fuzz
	@for f in $(FUZZERS); do \
	  dict=; [[ -f fuzz/$$f.dict ]] && dict=fuzz/$$f.dict; \
	  echo "== fuzzing $$f for $(FUZZ_SECONDS) s"; \
	  FUZZ_JOBS=$(JOBS) bash fuzz/run.sh long build/fuzz/fuzz/$${f}_fuzzer fuzz/corpus/$$f \
	    $(FUZZ_SECONDS) build/fuzz-found/$$f $$dict || exit 1; \
	done

bench: build
	bash bench/run.sh $(TARN)

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
