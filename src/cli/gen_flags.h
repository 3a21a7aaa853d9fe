// The flags of `tarn gen` as typed (GenFlags) and as checked values (GenConfig): ParseGenFlags
// turns every mistake into one InvalidArgument line (the command then exits 2). Shared by the
// NDJSON writer (gen_command.cc) and the Kinesis producer (gen_kinesis.cc). Thread-safety: values.
#pragma once

#include <optional>
#include <string>

#include "cli/clickstream.h"
#include "cli/kinesis_producer.h"
#include "common/status.h"

namespace CLI {
class Option;
}

namespace tarn::cli {

struct GenFlags {
    std::string seed = "1";
    std::string count;
    std::string rate;
    std::string out = "-";
    std::string start;
    std::string span = "3d";
    std::string users = "100000";
    std::string malformed_rate = "0";
    std::string duplicate_rate = "0";
    // --to kinesis://STREAM and the flags that only go with it.
    std::string to;
    std::string endpoint = "http://127.0.0.1:4566";
    std::string connections = "4";
    std::string batch = "500";
    std::string record_bytes = "0";
    std::string create_shards = "0";
    std::string report;
    std::string acks;
    std::string distinct = "0";
    CLI::Option* count_option = nullptr;
    CLI::Option* rate_option = nullptr;
    CLI::Option* start_option = nullptr;
};

struct KinesisTarget {
    KinesisProducerOptions producer;  // without count/rate/stop, which come from GenConfig
    unsigned create_shards = 0;       // 0: the stream must exist
    bool report_json = false;
};

struct GenConfig {
    ClickstreamOptions options;
    uint64_t count = 0;  // lines to write; 0 with a rate: until interrupted
    double rate = 0;     // lines per second; 0: as fast as possible
    bool live_time = false;
    std::string out;
    std::optional<KinesisTarget> kinesis;  // set with --to kinesis://STREAM
};

Result<GenConfig> ParseGenFlags(const GenFlags& flags);

}  // namespace tarn::cli
