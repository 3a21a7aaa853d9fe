// Fuzz target: the PutRecords / PutRecord hot path (api/kinesis_put_batch.h), which parses with
// simdjson and then writes every partition key and decoded datum over the request body it
// parsed. The first byte picks PutRecords (even) or PutRecord (odd); the rest is the body.
//
// Beyond not crashing: an error is an AWS JSON error answer; a body that is accepted must be
// what a plain reading of the same JSON (nlohmann, common/base64, stream/hash_key) says, record
// by record (bodies with a key twice in one object aside): the same stream, partition keys, data
// bytes and explicit hash keys, within the Kinesis limits. So the in-place rewriting can never hand
// the log bytes that were not sent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/kinesis_put_batch.h"
#include "common/base64.h"
#include "stream/hash_key.h"

namespace {

using nlohmann::json;
using tarn::api::kinesis::PutBatch;

[[noreturn]] void Fail(const std::string& what, std::string_view body) {
    std::fprintf(stderr, "kinesis_put_fuzzer: %s\n  body: %.*s\n", what.c_str(),
                 static_cast<int>(std::min<size_t>(body.size(), 2000)), body.data());
    std::abort();
}

void CheckError(const tarn::api::HttpResponse& answer, std::string_view body) {
    const json error = json::parse(answer.body, nullptr, false);
    if (answer.status != 400 || !error.is_object() || !error.contains("__type") ||
        !error["__type"].is_string() || !error.contains("message")) {
        Fail("a refused body did not get a 400 AWS error: " + answer.body, body);
    }
}

// One accepted record against the JSON object it came from.
void CheckRecord(const json& expected, const tarn::stream::RecordInput& got,
                 std::string_view body) {
    if (!expected.is_object() || !expected.contains("PartitionKey") ||
        !expected["PartitionKey"].is_string() || !expected.contains("Data") ||
        !expected["Data"].is_string()) {
        Fail("accepted a record without a string PartitionKey and Data", body);
    }
    const std::string key = expected["PartitionKey"].get<std::string>();
    if (got.partition_key != key) Fail("partition key differs from the request's", body);
    if (key.empty() || key.size() > 256) Fail("accepted a partition key outside 1..256", body);
    auto data = tarn::Base64Decode(expected["Data"].get<std::string>());
    if (!data.ok()) Fail("accepted Data that is not base64", body);
    if (got.data != *data) Fail("data differs from the request's base64", body);
    if (data->size() > (size_t{1} << 20)) Fail("accepted data over 1 MiB", body);
    const bool has_key =
        expected.contains("ExplicitHashKey") && !expected["ExplicitHashKey"].is_null();
    if (has_key != got.explicit_hash_key.has_value())
        Fail("ExplicitHashKey presence differs", body);
    if (has_key) {
        if (!expected["ExplicitHashKey"].is_string()) Fail("accepted a non-string hash key", body);
        auto parsed = tarn::stream::ParseHashKey(expected["ExplicitHashKey"].get<std::string>());
        if (!parsed.ok() || *parsed != *got.explicit_hash_key) {
            Fail("ExplicitHashKey differs from the request's", body);
        }
    }
}

// True when some object of `body` has a key twice. The JSON RFC leaves such a body's meaning
// open (simdjson finds the first value, nlohmann keeps the last), so it is not compared.
bool HasDuplicateKeys(const std::string& body) {
    std::vector<std::set<std::string>> open_objects;
    bool duplicate = false;
    (void)json::parse(
        body,
        [&](int /*depth*/, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start) open_objects.emplace_back();
            if (event == json::parse_event_t::object_end) open_objects.pop_back();
            if (event == json::parse_event_t::key &&
                !open_objects.back().insert(parsed.get<std::string>()).second) {
                duplicate = true;
            }
            return true;
        },
        false);
    return duplicate;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const bool single = data[0] % 2 == 1;
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    PutBatch batch;
    auto refused = single ? tarn::api::kinesis::ParsePutRecord(body, batch)
                          : tarn::api::kinesis::ParsePutRecords(body, batch);
    if (refused) {
        CheckError(*refused, body);
        return 0;
    }
    const json request = json::parse(body, nullptr, false);
    if (!request.is_object()) Fail("accepted a body that is not a JSON object", body);
    if (HasDuplicateKeys(body)) return 0;
    const std::string stream = request.contains("StreamName") && request["StreamName"].is_string()
                                   ? request["StreamName"].get<std::string>()
                                   : request.value("StreamARN", std::string());
    if (batch.stream != stream) Fail("stream differs: '" + batch.stream + "'", body);
    if (single) {
        if (batch.records.size() != 1) Fail("PutRecord gave other than one record", body);
        CheckRecord(request, batch.records[0], body);
        return 0;
    }
    if (!request.contains("Records") || !request["Records"].is_array()) {
        Fail("accepted PutRecords without a Records array", body);
    }
    const json& records = request["Records"];
    if (records.size() != batch.records.size()) Fail("record count differs", body);
    if (records.empty() || records.size() > tarn::api::kinesis::kMaxPutRecordsCount) {
        Fail("accepted a record count outside 1..500", body);
    }
    for (size_t i = 0; i < records.size(); ++i) CheckRecord(records[i], batch.records[i], body);
    return 0;
}
