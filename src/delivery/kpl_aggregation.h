// KPL de-aggregation: splits a Kinesis record that the Kinesis Producer Library (KPL) aggregated
// into its user records, as Firehose and the KCL do, and builds such records.
//
// Format (awslabs/amazon-kinesis-producer, aggregation-format.md):
//   record   := magic protobuf md5
//   magic    := 0xF3 0x89 0x9A 0xC2
//   protobuf := AggregatedRecord (proto2 wire format):
//               AggregatedRecord { repeated string partition_key_table = 1;
//                                  repeated string explicit_hash_key_table = 2;
//                                  repeated Record records = 3; }
//               Record { required uint64 partition_key_index = 1;
//                        optional uint64 explicit_hash_key_index = 2;
//                        required bytes data = 3; repeated Tag tags = 4; }
//               Tag { required string key = 1; optional string value = 2; }
//   md5      := the 16-byte MD5 of the protobuf bytes
// Key indices are zero-based into the tables. Fields may come in any order; unknown fields (of any
// wire type, groups included) and fields of a known number but another wire type are skipped, as
// protobuf parsers do; of a non-repeated field given twice the last value wins. Tags are checked
// for well-formedness and otherwise ignored (neither the KPL nor the KCL uses them).
//
// Reading makes no copies: every view in a returned UserRecord points into the `record` (or the
// `partition_key`) passed in, and is valid only while those bytes are.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::delivery {

inline constexpr char kKplMagic[4] = {'\xF3', '\x89', '\x9A', '\xC2'};
inline constexpr size_t kKplDigestSize = 16;

struct UserRecord {
    std::string_view partition_key;
    std::string_view explicit_hash_key;  // empty if the user record has none
    std::string_view data;

    friend bool operator==(const UserRecord&, const UserRecord&) = default;
};

// True if `record` starts with the magic and has at least one protobuf byte before the MD5
// (size > 4 + 16). A record with the magic but no protobuf byte is not aggregated (as in the KCL).
bool IsKplAggregated(std::string_view record);

// Splits `record` into its user records, in the order of the protobuf's `records`.
// - Not aggregated (see IsKplAggregated): one user record {partition_key, "", record}.
// - Aggregated but the MD5 does not match, or the protobuf is malformed (truncated varint or
//   length, length beyond the end, invalid wire type, unbalanced group, a Record without its
//   required partition_key_index or data, a Tag without its key): as the KCL does, the record is
//   not treated as aggregated and comes back unchanged as one user record {partition_key, "",
//   record}.
// - A well-formed aggregate whose key index is outside its key table: Corruption naming the index
//   of the user record. (The KCL logs this and drops the rest of the record; tarn reports it.)
// An aggregate with an empty `records` list gives zero user records.
Result<std::vector<UserRecord>> Deaggregate(std::string_view record,
                                            std::string_view partition_key);

// Like Deaggregate, but strict: a record without the magic, a wrong MD5 or a malformed protobuf is
// Corruption (with what is wrong and where) instead of a pass-through. For callers that want to
// report broken aggregates, and for tests.
Result<std::vector<UserRecord>> DeaggregateStrict(std::string_view record);

// Builds an aggregated record holding `records` in order. Equal partition keys (and equal explicit
// hash keys) share one table entry. A user record with an empty explicit_hash_key gets no
// explicit_hash_key_index (so an empty explicit hash key cannot be expressed, as in the KPL).
// Deaggregate(Aggregate(r), pk) == r for any non-empty r. An empty `records` gives an aggregate
// that holds no user records (magic + empty protobuf + MD5), which IsKplAggregated rejects.
std::string Aggregate(const std::vector<UserRecord>& records);

}  // namespace tarn::delivery
