#include "stream/stream_metrics.h"

namespace tarn::stream {

StreamMetrics& StreamMetrics::Get() {
    static StreamMetrics* m = [] {
        MetricsRegistry& r = MetricsRegistry::Global();
        return new StreamMetrics{
            r.AddCounter("tarn_stream_records_appended_total", "Records written to shard logs."),
            r.AddCounter("tarn_stream_bytes_appended_total", "Frame bytes written to shard logs."),
            r.AddCounter("tarn_stream_fsyncs_total", "fsyncs of segment files and folders."),
            r.AddCounter("tarn_stream_commit_batches_total", "Group commits by stream writers."),
            r.AddCounter("tarn_stream_torn_tail_truncations_total",
                         "Torn segment tails cut at recovery."),
            r.AddCounter("tarn_stream_append_failures_total",
                         "Shard appends or syncs that failed with an I/O error."),
            r.AddCounter("tarn_stream_retention_deleted_segments_total",
                         "Segment files deleted by retention (age or disk budget)."),
            r.AddCounter("tarn_stream_retention_forced_records_total",
                         "Records deleted by the disk budget before retention allowed it."),
        };
    }();
    return *m;
}

}  // namespace tarn::stream
