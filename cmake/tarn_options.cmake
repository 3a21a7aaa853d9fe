# Compiler flags shared by every tarn target, applied through the `tarn_flags` interface target.
add_library(tarn_flags INTERFACE)
target_compile_options(tarn_flags INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
# GCC 12 reports false -Wrestrict positives inside libstdc++ for `"literal" + std::string` at -O3
# (GCC bug 105329), which would fail -Werror on correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(tarn_flags INTERFACE -Wno-restrict)
endif()
if(TARN_WERROR)
  target_compile_options(tarn_flags INTERFACE -Werror)
endif()
if(TARN_SANITIZE)
  set(_tarn_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_compile_options(tarn_flags INTERFACE ${_tarn_san})
  target_link_options(tarn_flags INTERFACE ${_tarn_san})
endif()
# Fuzzing (the `fuzz` preset, clang only): every library is instrumented for libFuzzer's coverage
# and built with ASan+UBSan; UBSan findings abort so libFuzzer keeps the input. fuzz/CMakeLists.txt
# adds -fsanitize=fuzzer (libFuzzer's main) to the fuzzer executables only.
if(TARN_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TARN_BUILD_FUZZERS needs clang (libFuzzer): use the `fuzz` preset")
  endif()
  set(_tarn_fuzz_san -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  target_compile_options(tarn_flags INTERFACE -fsanitize=fuzzer-no-link ${_tarn_fuzz_san})
  target_link_options(tarn_flags INTERFACE ${_tarn_fuzz_san})
endif()

# tarn_module(<name> SOURCES ... DEPS ...): one static library per module under src/<name>/,
# whose public headers are included as "<name>/<header>.h".
function(tarn_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tarn_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tarn_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tarn_${name} PUBLIC tarn_flags ${ARG_DEPS})
endfunction()
