// The stream module's counters, registered once in MetricsRegistry::Global().
// Thread-safety: the counters are atomics; Get() may be called from any thread.
#pragma once

#include "common/metrics.h"

namespace tarn::stream {

struct StreamMetrics {
    Counter& records_appended;       // tarn_stream_records_appended_total
    Counter& bytes_appended;         // tarn_stream_bytes_appended_total (frame bytes)
    Counter& fsyncs;                 // tarn_stream_fsyncs_total (segment files and folders)
    Counter& commit_batches;         // tarn_stream_commit_batches_total (group commits)
    Counter& torn_tail_truncations;  // tarn_stream_torn_tail_truncations_total
    Counter& append_failures;        // tarn_stream_append_failures_total (failed writes/fsyncs)
    // tarn_stream_retention_deleted_segments_total (by age or by the disk budget)
    Counter& retention_deleted_segments;
    // tarn_stream_retention_forced_records_total: records the disk budget deleted although
    // retention (age or a consumer) kept them
    Counter& retention_forced_records;

    static StreamMetrics& Get();
};

}  // namespace tarn::stream
