// columnar: tarn's in-memory columnar format. Readers (Parquet, NDJSON, CSV) decode into it, the
// SQL engine computes on it, writers encode from it.
//
//   data_type.h      DataType (logical types) and Field (name, type, nullability, field id)
//   schema.h         Schema: ordered, validated top-level fields
//   buffer.h         Buffer: 64-byte aligned growable bytes, reused across batches
//   column_vector.h  ColumnVector: validity bitmap, values / offsets + arena / child vectors
//   record_batch.h   RecordBatch: a schema and one ColumnVector per field; kDefaultBatchRows
//   value_format.h   values as JSON and CSV text
//
// Performance contract: buffers are columnar and typed; per-value access is inline and never a
// virtual call; appending a value (strings included) never allocates per value; Reset() keeps
// every allocation so a batch reused for the next rows stops allocating.
//
// Thread-safety: types and schemas are immutable values; vectors and batches are written by one
// thread at a time and, once written, may be read by many.
#pragma once

#include "columnar/buffer.h"
#include "columnar/column_vector.h"
#include "columnar/data_type.h"
#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "columnar/value_format.h"
