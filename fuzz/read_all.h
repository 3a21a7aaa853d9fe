// Shared by the text-reader fuzzers: drains a reader (NdjsonReader, CsvReader: Open(...) ->
// NewBatch/Next) and traps on a batch that breaks columnar invariants, which the readers promise
// never to return. Errors are the expected outcome for most inputs and end the read.
#pragma once

#include <memory>

#include "columnar/record_batch.h"
#include "common/status.h"

namespace tarn::fuzz {

template <class Reader>
void ReadAll(Result<std::unique_ptr<Reader>> reader) {
    if (!reader.ok()) return;
    columnar::RecordBatch batch = (*reader)->NewBatch();
    while (true) {
        auto more = (*reader)->Next(&batch);
        if (!more.ok() || !*more) return;
        if (!batch.Validate().ok()) __builtin_trap();
    }
}

}  // namespace tarn::fuzz
