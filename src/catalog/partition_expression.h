// The `Expression` of Glue's GetPartitions: a SQL-WHERE-like filter over a table's partition
// keys, parsed once and matched against each partition's values.
//
//   TARN_ASSIGN_OR_RETURN(auto filter, PartitionFilter::Parse("year = '2026' and month > '06'",
//                                                             table.partition_keys));
//   for (const Partition& p : partitions) if (filter.Matches(p.values)) ...
//
// Grammar (keywords in any case; blanks are free between tokens):
//   or        := and (OR and)*
//   and       := unary (AND unary)*
//   unary     := NOT unary | '(' or ')' | predicate
//   predicate := key op value                        op: = <> != < <= > >=
//              | key [NOT] BETWEEN value AND value   (inclusive)
//              | key [NOT] IN '(' value (',' value)* ')'
//              | key [NOT] LIKE 'pattern'            % any run, _ one byte; on the value's text
//   key       := name | `back-quoted name`           matched to the keys ignoring ASCII case
//   value     := 'string' ('' is a quote) | number | DATE 'yyyy-mm-dd'
// An empty (or all-blank) expression matches every partition.
//
// Comparison follows the key's type, as Glue's does:
//   tinyint, smallint, int, integer, bigint     as integers;
//   float, double, decimal(p,s)                 as numbers;
//   date                                        as dates (yyyy-mm-dd);
//   string, varchar, char and anything else     as strings (bytewise), except against a number
//                                               literal: then as numbers (Hive's rule for
//                                               string = number), so `month >= 6` works on '06'.
// A literal that cannot be a value of its key's type (`year = 'abc'` on an int key) is an error
// at parse time; a partition value that does not parse as its key's type matches no comparison,
// and under NOT it still does not match (SQL's unknown: NOT unknown is unknown).
//
// Errors are InvalidArgument, one line with the 0-based byte position:
//   Expression 'year = ' at 7: expected a value
//   Expression 'yr = 1' at 0: unknown partition key 'yr' (keys: year, month)
//
// Thread-safety: a PartitionFilter is an immutable value; Matches may be called from many
// threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "common/status.h"

namespace tarn::catalog {

class PartitionFilter {
public:
    static Result<PartitionFilter> Parse(std::string_view expression,
                                         const std::vector<Column>& partition_keys);

    // True when the partition with these values (one per key, in order) passes the filter.
    // A partition with the wrong number of values never matches (unless the filter is empty).
    bool Matches(const std::vector<std::string>& values) const;

    // How a key's values compare.
    enum class KeyKind : uint8_t { kString, kInteger, kNumber, kDate };

    // A literal, already in the form its key compares in.
    struct Literal {
        std::string text;        // the string's content, or the number/date as written
        bool is_number = false;  // written as a number literal
        int64_t integer = 0;     // kInteger (when `integral`), kDate (days since 1970-01-01)
        double number = 0;       // kNumber, and kInteger with a fractional literal
        bool integral = true;
    };

    enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kBetween, kIn, kLike, kAnd, kOr, kNot };

    struct Node {
        Op op = Op::kEq;
        bool negated = false;  // NOT BETWEEN / NOT IN / NOT LIKE
        int key = -1;          // predicate: index into the keys
        KeyKind kind = KeyKind::kString;
        std::vector<Literal> values;  // 1 for op, 2 for BETWEEN, n for IN, the pattern for LIKE
        std::vector<int> children;    // AND/OR: two; NOT: one (indices into nodes_)
    };

private:
    PartitionFilter() = default;
    friend class PartitionExpressionParser;

    // nullopt: unknown (a value that does not parse as its key's type).
    std::optional<bool> Evaluate(int node, const std::vector<std::string>& values) const;
    std::optional<bool> EvaluatePredicate(const Node& node, std::string_view value) const;

    std::vector<Node> nodes_;  // the root is the last one; empty: match everything
    size_t key_count_ = 0;
};

// GetPartitions' Segment: OK when 0 <= segment_number < total_segments and total_segments is in
// 1..10, else InvalidArgument as Glue words it.
Status ValidateSegment(int segment_number, int total_segments);

// True when the partition with these values belongs to segment `segment_number` of
// `total_segments`: a stable hash (CRC-32C of the length-prefixed values) modulo total_segments,
// so that the segments of one listing are disjoint and together hold every partition, on any
// machine and in any release. REQUIRES: ValidateSegment(segment_number, total_segments).ok().
bool InSegment(const std::vector<std::string>& values, int segment_number, int total_segments);

}  // namespace tarn::catalog
