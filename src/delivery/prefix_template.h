// Firehose's S3 prefix templates (Prefix and ErrorOutputPrefix of a delivery): parsed once per
// delivery configuration, evaluated once per delivered object into the start of its lake key.
//
// Expressions, as in Firehose ("Custom Prefixes for Amazon S3 Objects", "Dynamic Partitioning"):
//   !{timestamp:FORMAT}            the object's timestamp (arrival time in UTC of its oldest
//   record,
//                                  or an event time: the caller decides) in a Java
//                                  DateTimeFormatter pattern. Supported letters: yyyy yy MM M dd d
//                                  HH H mm ss SSS; text in single quotes is literal, '' is one
//                                  quote; other ASCII characters that are not letters are literal.
//                                  Any other letter (or letter count), and the reserved '[', ']',
//                                  '#', '{', '}', are a parse error naming them. Every timestamp in
//                                  a template is the same instant.
//   !{firehose:random-string}      11 characters of [a-z0-9]. In tarn it is deterministic: derived
//                                  from PrefixContext::random_seed (the delivery's commit intent),
//                                  so a replay of the same commit writes the same key.
//   !{firehose:error-output-type}  only in an ErrorOutputPrefix: the error kind
//                                  ("processing-failed", "format-conversion-failed",
//                                  "dynamic-partitioning-failed", ...).
//   !{partitionKeyFromQuery:NAME}  the value the caller extracted for key NAME (dynamic
//                                  partitioning). NAME is letters, digits, '_', '-' or '.'.
//   !{partitionKeyFromLambda:NAME} not supported in tarn (no Lambda): a parse error.
// "!{" always starts an expression (Firehose's rule); '}' outside one is literal.
//
// Parse errors are InvalidArgument and name the byte position (0-based) in the template:
// unknown namespace or key, unterminated "!{", "!{timestamp}" without a format, unsupported
// pattern letters, an unterminated quote, error-output-type in a Prefix, partitionKeyFromLambda,
// partitionKeyFromQuery in an ErrorOutputPrefix (records that failed partitioning have no keys),
// and an ErrorOutputPrefix with expressions but without !{firehose:error-output-type}. A template
// is also refused when its fixed structure cannot give a key valid for storage::ValidateKey once
// an object name is appended (a leading '/', "//", a "." or ".." segment, a backslash, ...).
// Rules that concern a Prefix and its ErrorOutputPrefix together are in ValidatePrefixPair().
//
// Partition key values (Firehose's behaviour: a value is inserted verbatim, so a '/' in it makes
// more levels, and a key that cannot be extracted fails the record, which goes to the error
// output as "dynamic-partitioning-failed"). tarn keeps '/' in values, but a value must itself be a
// valid storage key: Evaluate fails (InvalidArgument, naming the key) for a missing or empty
// value, a value with a leading or trailing '/', "//", a "." or ".." segment, a backslash or NUL.
// The caller then routes the record to the error output as "dynamic-partitioning-failed". An
// evaluated prefix longer than kMaxEvaluatedPrefixBytes (Firehose's 512) also fails.
// So the result of a successful Evaluate, followed by a valid object name, passes ValidateKey.
//
// Tarn's defaults when a delivery gives no Prefix / ErrorOutputPrefix are DefaultPrefixText()
// and DefaultErrorOutputPrefixText(): Hive-style partitions by hour. Unlike Firehose, tarn does
// not append "yyyy/MM/dd/HH/" to a Prefix without a timestamp expression.
//
// Thread-safety: a PrefixTemplate is immutable after Parse; const methods may be called from
// many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::delivery {

enum class PrefixKind : uint8_t {
    kPrefix,             // for delivered records (Firehose's Prefix)
    kErrorOutputPrefix,  // for failed records (Firehose's ErrorOutputPrefix)
};

// Most bytes in a template's text (Firehose's API limit for Prefix and ErrorOutputPrefix).
inline constexpr size_t kMaxPrefixTemplateBytes = 1024;
// Most bytes of an evaluated prefix (Firehose's limit).
inline constexpr size_t kMaxEvaluatedPrefixBytes = 512;
// Length of !{firehose:random-string}.
inline constexpr size_t kRandomStringLength = 11;

// Partition key name -> value, as extracted for one object (dynamic partitioning).
using PartitionKeyValues = std::map<std::string, std::string, std::less<>>;

// What one evaluation needs. Only the fields the template uses are read.
struct PrefixContext {
    int64_t timestamp_ms = 0;            // milliseconds since the Unix epoch, UTC
    std::string_view random_seed;        // e.g. the commit intent's id; same seed -> same string
    std::string_view error_output_type;  // for !{firehose:error-output-type}
    // For !{partitionKeyFromQuery:NAME}; may be null when the template needs no key. Not owned.
    const PartitionKeyValues* partition_keys = nullptr;
};

class PrefixTemplate {
public:
    // Parses `text` (see the file comment for the language and the errors). An empty text is a
    // valid template that evaluates to "".
    static Result<PrefixTemplate> Parse(std::string_view text, PrefixKind kind);

    // The evaluated prefix. Errors (InvalidArgument, only for values the caller passes): a
    // partition key or the error type missing or not valid in a key, or the result longer than
    // kMaxEvaluatedPrefixBytes. Never throws; allocates only the result (and the message of an
    // error).
    Result<std::string> Evaluate(const PrefixContext& ctx) const;
    // Same, appending to `out` (which it leaves unchanged on error), for callers reusing a buffer.
    Status AppendTo(const PrefixContext& ctx, std::string& out) const;

    bool NeedsTimestamp() const { return needs_timestamp_; }
    // The span of time within which every timestamp gives the same text: the finest field used
    // (1 for milliseconds, 1000 for seconds, ..., 86400000 for days, months and years: UTC days
    // nest in months and years). INT64_MAX without timestamps. Two timestamps t1, t2 >= 0 with
    // t1 / g == t2 / g evaluate the template alike (other inputs equal).
    int64_t TimestampGranularityMs() const;
    bool NeedsRandomString() const { return needs_random_; }
    bool NeedsErrorOutputType() const { return needs_error_type_; }
    // True when the text has at least one !{...} expression.
    bool HasExpressions() const { return has_expressions_; }
    // Names used by !{partitionKeyFromQuery:NAME}, each once, in order of first use.
    const std::vector<std::string>& PartitionKeyNames() const { return partition_keys_; }
    const std::string& text() const { return text_; }
    PrefixKind kind() const { return kind_; }

    // The parsed form; public only for the helpers in prefix_template.cc, not for callers.
    // One piece of a timestamp format: a field with its width, or literal text.
    struct DateItem {
        enum class Field : uint8_t {
            kLiteral,
            kYear,
            kYear2,
            kMonth,
            kDay,
            kHour,
            kMinute,
            kSecond,
            kMillis
        };
        Field field = Field::kLiteral;
        int width = 0;        // minimum digits (zero-padded)
        std::string literal;  // for kLiteral
    };
    // One piece of a template.
    struct Part {
        enum class Type : uint8_t {
            kLiteral,
            kTimestamp,
            kRandomString,
            kErrorOutputType,
            kPartitionKey
        };
        Type type = Type::kLiteral;
        std::string text;              // literal text, or the partition key's name
        std::vector<DateItem> format;  // for kTimestamp
    };

private:
    PrefixTemplate() = default;
    Status AppendUnchecked(const PrefixContext& ctx, std::string& out) const;

    std::string text_;
    PrefixKind kind_ = PrefixKind::kPrefix;
    std::vector<Part> parts_;
    std::vector<std::string> partition_keys_;
    bool needs_timestamp_ = false;
    bool needs_random_ = false;
    bool needs_error_type_ = false;
    bool has_expressions_ = false;
};

// Firehose's rules across a delivery's two templates (InvalidArgument when broken):
//   - an empty ErrorOutputPrefix is allowed only when Prefix has no expressions (tarn then uses
//     DefaultErrorOutputPrefixText) and dynamic partitioning is off;
//   - with dynamic partitioning, Prefix must use !{partitionKeyFromQuery:...};
//   - without it, Prefix must not use partitionKeyFromQuery.
// REQUIRES: prefix.kind() == kPrefix, and error_prefix (when not null) is kErrorOutputPrefix.
// `error_prefix` null means the delivery gave no ErrorOutputPrefix.
Status ValidatePrefixPair(const PrefixTemplate& prefix, const PrefixTemplate* error_prefix,
                          bool dynamic_partitioning);

// "raw/<table>/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
std::string DefaultPrefixText(std::string_view table);
// "errors/<delivery>/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=.../hour=.../"
std::string DefaultErrorOutputPrefixText(std::string_view delivery);

// The 11-character [a-z0-9] string that !{firehose:random-string} gives for `seed`.
std::string RandomStringForSeed(std::string_view seed);

}  // namespace tarn::delivery
