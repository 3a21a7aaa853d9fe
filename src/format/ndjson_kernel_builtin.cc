// The NDJSON kernel for the build's target (simdjson's builtin kernel); see ndjson_kernel.h.
#include "format/ndjson_kernel_includes.h"

#define TARN_NDJSON_KERNEL SIMDJSON_BUILTIN_IMPLEMENTATION
#include "format/ndjson_kernel.inc"
