// Fuzz target: what a Firehose delivery takes from users and producers (module delivery). The
// first byte picks one, the rest is the input:
//   0: a KPL aggregated record from a producer (kpl_aggregation.h);
//   1: a MetadataExtractionQuery (metadata_query.h), then evaluated over a few records;
//   2: a Prefix, 3: an ErrorOutputPrefix template (prefix_template.h), then evaluated.
//
// Beyond not crashing, the promises of those headers:
//   - an aggregate DeaggregateStrict accepts re-aggregates to the same user records, and the
//     lenient Deaggregate gives back every one of them too;
//   - a query's errors are one line; a successful Extract gives exactly the query's keys;
//   - a template's errors are one line; an evaluated prefix is at most 512 bytes and, with an
//     object name after it, a valid lake key; two timestamps in the same granule
//     (TimestampGranularityMs) give the same prefix.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/kpl_aggregation.h"
#include "delivery/metadata_query.h"
#include "delivery/prefix_template.h"
#include "storage/storage.h"

namespace {

namespace delivery = tarn::delivery;

[[noreturn]] void Fail(const std::string& what) {
    std::fprintf(stderr, "delivery_inputs_fuzzer: %s\n", what.c_str());
    std::abort();
}

void CheckOneLine(const tarn::Status& status) {
    if (status.message().find('\n') != std::string::npos)
        Fail("multi-line error: " + status.message());
}

void FuzzKpl(std::string_view record) {
    (void)delivery::Deaggregate(record, "pk");
    auto strict = delivery::DeaggregateStrict(record);
    if (!strict.ok()) return;
    auto lenient = delivery::Deaggregate(record, "pk");
    if (!lenient.ok() || *lenient != *strict) {
        Fail("Deaggregate and DeaggregateStrict disagree on a well-formed aggregate");
    }
    if (strict->empty()) return;  // Aggregate({}) is not an aggregate IsKplAggregated accepts
    const std::string again = delivery::Aggregate(*strict);
    auto back = delivery::DeaggregateStrict(again);
    if (!back.ok() || *back != *strict) Fail("an aggregate does not re-aggregate to itself");
}

// Records a query meets: nested fields, arrays, numbers, escapes, a non-object, invalid JSON.
const std::string_view kRecords[] = {
    R"({"a":"x","b":{"c":[1,{"d":"e"}],"n":1.50,"t":true},"ts":1700000000,"u":"\u0041/B"})",
    R"({"a":null,"b":[],"c":"","ts":-1.5,"x":{"y":{"z":"deep"}}})",
    R"([1,2,3])",
    R"({"a":1,"a":2})",
    R"({"a":"unterminated)",
};

void FuzzQuery(std::string_view text) {
    auto query = delivery::MetadataQuery::Parse(text);
    if (!query.ok()) return CheckOneLine(query.status());
    simdjson::ondemand::parser parser;
    delivery::PartitionKeyValues values;
    for (std::string_view record : kRecords) {
        tarn::Status extracted = query->ExtractUnpadded(record, parser, &values);
        if (!extracted.ok()) {
            CheckOneLine(extracted);
            continue;
        }
        if (values.size() != query->keys().size()) Fail("Extract gave other keys than the query's");
        for (const auto& key : query->keys()) {
            if (!values.contains(key.name)) Fail("Extract lacks key " + key.name);
        }
    }
}

void FuzzPrefix(std::string_view text, delivery::PrefixKind kind) {
    auto prefix = delivery::PrefixTemplate::Parse(text, kind);
    if (!prefix.ok()) return CheckOneLine(prefix.status());
    delivery::PartitionKeyValues keys;
    for (const std::string& name : prefix->PartitionKeyNames()) keys[name] = "v-" + name + "/x";
    const int64_t granule = prefix->TimestampGranularityMs();
    for (int64_t t : {int64_t{0}, int64_t{1700000123456}, int64_t{951782400000}}) {
        delivery::PrefixContext ctx;
        ctx.timestamp_ms = t;
        ctx.random_seed = "intent-1";
        ctx.error_output_type = "processing-failed";
        ctx.partition_keys = &keys;
        auto evaluated = prefix->Evaluate(ctx);
        if (!evaluated.ok()) {
            CheckOneLine(evaluated.status());
            continue;
        }
        if (evaluated->size() > delivery::kMaxEvaluatedPrefixBytes) Fail("prefix over 512 bytes");
        const std::string key = *evaluated + "object-0001.json";
        if (tarn::Status valid = tarn::storage::ValidateKey(key); !valid.ok()) {
            Fail("an evaluated prefix makes an invalid key: " + valid.message());
        }
        // The last instant of the same granule evaluates alike.
        if (granule != INT64_MAX) {
            ctx.timestamp_ms = t / granule * granule + granule - 1;
            auto same = prefix->Evaluate(ctx);
            if (!same.ok() || *same != *evaluated) Fail("two instants of one granule differ");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > 8192) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            FuzzKpl(input);
            break;
        case 1:
            FuzzQuery(input);
            break;
        case 2:
            FuzzPrefix(input, delivery::PrefixKind::kPrefix);
            break;
        default:
            FuzzPrefix(input, delivery::PrefixKind::kErrorOutputPrefix);
            break;
    }
    return 0;
}
