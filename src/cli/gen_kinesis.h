// `tarn gen --to kinesis://STREAM`: sends the clickstream to a Kinesis stream with the producer of
// cli/kinesis_producer.h and reports what it did. Thread-safety: one call at a time per process
// (it prints to stdout and stderr).
#pragma once

#include <atomic>

#include "cli/clickstream.h"
#include "cli/gen_flags.h"

namespace tarn::cli {

// Runs the producer for `config` (REQUIRES: config.kinesis is set) and returns the exit status:
// 0 when done (failed records are counted and reported, not retried), 1 when the stream cannot be
// reached or created or an answer is an error, 128 + signal when *stop became non-zero (the
// signal's number). A summary goes to stderr; with --report json, also one JSON line to stdout.
int RunGenToKinesis(const GenConfig& config, const ClickstreamGenerator& generator,
                    const std::atomic<int>* stop);

}  // namespace tarn::cli
