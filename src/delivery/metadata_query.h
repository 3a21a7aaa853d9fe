// Firehose dynamic partitioning's inline parsing: the MetadataExtractionQuery (a jq 1.6
// expression) that extracts partition keys from each JSON record. tarn implements the subset
// users write in practice: one object constructor whose values are paths, optionally piped into a
// few functions. Parsed once per delivery configuration; evaluated once per record.
//
// Grammar (whitespace allowed between tokens):
//   query    := '{' entry (',' entry)* '}'
//   entry    := NAME ':' path ('|' function)*     |  IDENT   (jq's shorthand for IDENT: .IDENT)
//   NAME     := IDENT | STRING    (a STRING name must use only letters, digits, '_', '-', '.',
//                                  the characters !{partitionKeyFromQuery:NAME} accepts)
//   IDENT    := [A-Za-z_][A-Za-z0-9_]*
//   path     := ('.' IDENT | '.' STRING | '.'? '[' STRING ']' | '.'? '[' INDEX ']')+
//               where the first step starts with '.', e.g. .a  .a.b.c  ."quoted key"  .a["b"]
//               .a[0]  .["x"]  .[2].y ; INDEX is a non-negative decimal integer.
//   function := 'tostring' | 'ascii_downcase' | 'ascii_upcase' | 'todate'
//             | 'strftime' '(' STRING ')'
//   STRING   := a JSON string literal (escapes \" \\ \/ \b \f \n \r \t \uXXXX).
// strftime formats may use %Y %y %m %d %e %H %M %S %j %F %T %%; other
// conversions are a parse error. Key names must be unique. Anything else (the identity '.',
// arithmetic, other functions, '?', negative indices, more than one object) is InvalidArgument
// "MetadataExtractionQuery at <byte offset>: <what was expected>".
//
// Evaluation (per record) follows jq: a path step into a missing field or through null gives
// null; a field step on a non-object or an index step on a non-array is an error. The values are
// rendered as Firehose writes them into the prefix: a string as-is (unescaped, UTF-8), a number
// as its JSON text as written in the record ("1.50" stays "1.50"), true/false as "true"/"false".
// null (including a missing field), an object or an array is an error. Functions:
//   tostring        string as-is; number/boolean as above; null/object/array: error.
//   ascii_downcase  / ascii_upcase: strings only (ASCII letters mapped, other bytes kept).
//   strftime(FMT)   numbers only: seconds since the Unix epoch (fraction dropped), in UTC.
//   todate          strftime("%Y-%m-%dT%H:%M:%SZ").
// Every error is InvalidArgument naming the key and its path, e.g.
//   "partition key 'region' (.location.region): value is missing or null"
// and the caller routes the record to the error output as "dynamic-partitioning-failed". A record
// that is not valid JSON is an error too ("record is not valid JSON (...)"); tarn validates the
// whole record (Firehose's jq parses it whole), not only the parts the query reads.
//
// Field names are compared with the record's keys after unescaping, so "\u0061" matches .a. When
// an object repeats a key, the first occurrence is used (jq uses the last; such records are rare
// and not valid I-JSON).
//
// Thread-safety: a MetadataQuery is immutable after Parse; Extract may be called from many
// threads at once, each with its own simdjson parser and output map.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "delivery/prefix_template.h"

namespace tarn::delivery {

// Most bytes in a MetadataExtractionQuery's text (tarn's limit; real queries are far shorter).
inline constexpr size_t kMaxMetadataQueryBytes = 4096;

class MetadataQuery {
public:
    // One step of a path: a field name or an array index.
    struct Step {
        bool is_index = false;
        std::string field;   // when !is_index (unescaped)
        uint64_t index = 0;  // when is_index
    };
    enum class Function : uint8_t { kToString, kAsciiDowncase, kAsciiUpcase, kStrftime };
    struct Call {
        Function function = Function::kToString;
        std::string format;  // for kStrftime (validated by Parse)
    };
    // One output key.
    struct Key {
        std::string name;
        std::string path_text;  // the path as written, for error messages
        std::vector<Step> path;
        std::vector<Call> calls;
    };

    // Parses `query` (see the file comment). Errors: InvalidArgument with the byte position.
    static Result<MetadataQuery> Parse(std::string_view query);

    // Evaluates the query against one JSON record and stores each key's value in `*out`.
    // REQUIRES: `record` is readable for record.size() + simdjson::SIMDJSON_PADDING bytes (the
    // padding's content does not matter). `parser` is the caller's, reused across records (it
    // allocates only when a record is bigger than any before). On success `*out` holds exactly the
    // query's keys; existing entries' strings are overwritten in place, so a map reused across
    // records does not allocate once its strings are large enough. On error `*out` is
    // unspecified. Never throws.
    Status Extract(std::string_view record, simdjson::ondemand::parser& parser,
                   PartitionKeyValues* out) const;
    // Same for a record without guaranteed padding: copies it into a padded buffer (allocates).
    Status ExtractUnpadded(std::string_view record, simdjson::ondemand::parser& parser,
                           PartitionKeyValues* out) const;

    // The keys, in the order written.
    const std::vector<Key>& keys() const { return keys_; }
    const std::string& text() const { return text_; }

private:
    MetadataQuery() = default;
    Status ExtractKey(simdjson::ondemand::document& doc, const Key& key, std::string& value) const;

    std::string text_;
    std::vector<Key> keys_;
};

}  // namespace tarn::delivery
