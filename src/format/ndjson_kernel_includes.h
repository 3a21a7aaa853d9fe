// Everything ndjson_kernel.inc uses, included before a kernel opens its namespace (and, for
// ndjson_kernel_haswell.cc, before its target region, so that the library code stays generic).
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/ndjson_kernel.h"
#include "format/ndjson_reader.h"
#include "format/ndjson_scanner.h"
#include "format/ndjson_source.h"
#include "format/type_inference.h"
