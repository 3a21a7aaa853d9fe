// Partition pruning: which of a scan's files can hold matching rows, decided from the partition
// values the catalog records for each file.
//
// Conjuncts that read partition columns only are evaluated, vectorized, on a batch with one row
// per distinct partition (the partition columns typed as the catalog says; data columns NULL and
// never read). A conjunct comparing the table's time column with a constant prunes by the time
// range each year=/month=/day=/hour= partition covers -- only when the catalog records that the
// time partitions derive from that column, since arrival-time partitions say nothing about it.
#include <algorithm>
#include <chrono>
#include <map>

#include "columnar/record_batch.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/planner/optimizer.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

bool ReadsOnlyPartitions(const BoundExpr& e, const ScanSpec& scan) {
    std::vector<int> columns;
    e.CollectColumns(&columns);
    if (columns.empty()) return false;
    for (int c : columns) {
        if (static_cast<size_t>(scan.projection[c]) < scan.table->data_columns) return false;
    }
    return true;
}

// One row per partition: every scan column, partition columns filled from the values.
Result<columnar::RecordBatch> PartitionBatch(const ScanSpec& scan,
                                             const std::vector<std::vector<std::string>>& parts) {
    std::vector<columnar::Field> fields;
    for (int c : scan.projection) {
        const LogicalColumn& col = scan.table->columns[c];
        fields.push_back({"c" + std::to_string(fields.size()), col.type, true});
    }
    TARN_ASSIGN_OR_RETURN(columnar::Schema schema, columnar::Schema::Make(std::move(fields)));
    auto shared = std::make_shared<const columnar::Schema>(std::move(schema));
    columnar::RecordBatch batch(shared, parts.size());
    for (size_t i = 0; i < scan.projection.size(); ++i) {
        const size_t table_col = scan.projection[i];
        ColumnVector& out = batch.column(i);
        if (table_col < scan.table->data_columns) {
            for (size_t r = 0; r < parts.size(); ++r) out.AppendNull();
            continue;
        }
        const size_t key = table_col - scan.table->data_columns;
        ColumnVector text(DataType::Varchar());
        for (const auto& values : parts) {
            if (key >= values.size() || values[key] == "__HIVE_DEFAULT_PARTITION__") {
                text.AppendNull();
            } else {
                text.AppendString(values[key]);
            }
        }
        if (out.type().id() == TypeId::kVarchar) {
            out = std::move(text);
        } else {
            TARN_RETURN_IF_ERROR(CastVector(text, parts.size(), out.type(), true, &out));
        }
    }
    batch.set_num_rows(parts.size());
    return batch;
}

// ---- Time partitions ------------------------------------------------------------------------

constexpr int64_t kMicrosPerHour = 3'600'000'000LL;

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
    const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)),
                                          std::chrono::month(m), std::chrono::day(d)};
    return std::chrono::sys_days(ymd).time_since_epoch().count();
}

// The [start, end) microseconds a partition covers by its year/month/day/hour values, or false
// when its values are not such a time partition.
bool PartitionTimeRange(const std::vector<std::string>& values, const std::vector<int>& slots,
                        int64_t* start, int64_t* end) {
    long v[4] = {0, 1, 1, 0};
    int present = 0;
    for (int k = 0; k < 4; ++k) {
        if (slots[k] < 0) break;
        const std::string& s = values[slots[k]];
        char* stop = nullptr;
        v[k] = std::strtol(s.c_str(), &stop, 10);
        if (s.empty() || *stop != '\0') return false;
        ++present;
    }
    if (present == 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] < 0 || v[3] > 23) {
        return false;
    }
    const int64_t day = DaysFromCivil(v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2]));
    *start = day * 24 * kMicrosPerHour + v[3] * kMicrosPerHour;
    switch (present) {
        case 1: *end = DaysFromCivil(v[0] + 1, 1, 1) * 24 * kMicrosPerHour; break;
        case 2:
            *end = (v[1] == 12 ? DaysFromCivil(v[0] + 1, 1, 1)
                               : DaysFromCivil(v[0], static_cast<unsigned>(v[1] + 1), 1)) *
                   24 * kMicrosPerHour;
            break;
        case 3: *end = *start + 24 * kMicrosPerHour; break;
        default: *end = *start + kMicrosPerHour; break;
    }
    return true;
}

// `time_col op constant` (either side): the op with the column on the left, and the constant.
bool TimeComparison(const BoundExpr& e, int time_col, std::string* op, int64_t* micros) {
    if (e.kind != BoundKind::kCall || e.children.size() != 2) return false;
    static const std::map<std::string, std::string> kFlip = {
        {"$eq", "$eq"}, {"$lt", "$gt"}, {"$le", "$ge"}, {"$gt", "$lt"}, {"$ge", "$le"}};
    auto it = kFlip.find(e.name);
    if (it == kFlip.end()) return false;
    const BoundExpr* col = e.children[0].get();
    const BoundExpr* val = e.children[1].get();
    std::string name = e.name;
    if (col->kind != BoundKind::kColumn) {
        std::swap(col, val);
        name = it->second;
    }
    if (col->kind != BoundKind::kColumn || col->column != time_col ||
        val->kind != BoundKind::kConstant || val->value.is_null) {
        return false;
    }
    if (val->type.id() == TypeId::kTimestamp) {
        *micros = val->value.AsInt();
    } else if (val->type.id() == TypeId::kDate) {
        *micros = val->value.AsInt() * 24 * kMicrosPerHour;
    } else {
        return false;
    }
    *op = name;
    return true;
}

bool RangeCanMatch(int64_t start, int64_t end, const std::string& op, int64_t c) {
    if (op == "$eq") return c >= start && c < end;
    if (op == "$lt") return start < c;
    if (op == "$le") return start <= c;
    if (op == "$gt") return end - 1 > c;
    if (op == "$ge") return end - 1 >= c;
    return true;
}

}  // namespace

Status PrunePartitions(std::vector<BoundExprPtr>* scan_conjuncts, ScanSpec* scan,
                       int64_t now_micros) {
    const std::vector<BoundExprPtr>& conjuncts = *scan_conjuncts;
    const ScanTable& table = *scan->table;
    PruningReport& report = scan->pruning;
    report.files_total = scan->files.size();
    std::map<std::vector<std::string>, size_t> partition_index;
    std::vector<std::vector<std::string>> parts;
    for (const catalog::DataFile& f : scan->files) {
        if (partition_index.emplace(f.partition_values, parts.size()).second) {
            parts.push_back(f.partition_values);
        }
    }
    report.partitions_total = table.table.partition_keys.empty() ? 0 : parts.size();
    if (parts.empty() || table.table.partition_keys.empty()) return Status::Ok();

    std::vector<bool> keep(parts.size(), true);
    // Conjuncts on partition columns.
    std::vector<const BoundExpr*> on_partitions;
    for (const BoundExprPtr& e : conjuncts) {
        if (ReadsOnlyPartitions(*e, *scan)) on_partitions.push_back(e.get());
    }
    std::vector<const BoundExpr*> decided;  // true for every row of every file kept
    if (!on_partitions.empty()) {
        TARN_ASSIGN_OR_RETURN(columnar::RecordBatch batch, PartitionBatch(*scan, parts));
        for (const BoundExpr* e : on_partitions) {
            ExpressionEvaluator evaluator(e, now_micros);
            std::vector<uint32_t> selected;
            if (!evaluator.Select(batch, &selected).ok()) continue;  // not decidable: keep all
            std::vector<bool> hit(parts.size(), false);
            for (uint32_t r : selected) hit[r] = true;
            for (size_t r = 0; r < parts.size(); ++r) keep[r] = keep[r] && hit[r];
            report.partition_predicates.push_back(e->ToString());
            decided.push_back(e);
        }
    }
    // The time column.
    const std::string& source = table.table.time_partition_source;
    int time_col = -1;
    for (size_t i = 0; i < scan->projection.size(); ++i) {
        const size_t c = scan->projection[i];
        if (c < table.data_columns && table.columns[c].name == source) time_col = static_cast<int>(i);
    }
    std::vector<int> slots(4, -1);
    static const char* kTimeKeys[] = {"year", "month", "day", "hour"};
    for (int k = 0; k < 4; ++k) {
        for (size_t p = 0; p < table.table.partition_keys.size(); ++p) {
            if (table.table.partition_keys[p].name == kTimeKeys[k]) slots[k] = static_cast<int>(p);
        }
        if (slots[k] < 0) break;  // year, then month, ... in that order
    }
    if (source.empty()) {
        report.time_pruning_note = "no time partition source recorded";
    } else if (time_col < 0) {
        report.time_pruning_note = "time partitions derive from " + source + ", not a column read";
    } else if (slots[0] < 0) {
        report.time_pruning_note = "no year= partition key";
    } else {
        report.time_pruning_note = "time partitions derive from column " + source;
        for (const BoundExprPtr& e : conjuncts) {
            std::string op;
            int64_t c = 0;
            if (!TimeComparison(*e, time_col, &op, &c)) continue;
            report.time_predicates.push_back(e->ToString());
            for (size_t r = 0; r < parts.size(); ++r) {
                int64_t start = 0, end = 0;
                if (!keep[r] || !PartitionTimeRange(parts[r], slots, &start, &end)) continue;
                keep[r] = RangeCanMatch(start, end, op, c);
            }
        }
    }
    std::vector<catalog::DataFile> files;
    for (catalog::DataFile& f : scan->files) {
        if (keep[partition_index[f.partition_values]]) files.push_back(std::move(f));
    }
    report.partitions_pruned = static_cast<uint64_t>(std::count(keep.begin(), keep.end(), false));
    // A conjunct decided on the partition values holds for every row the kept files have: the
    // scan need not evaluate it again per row.
    std::erase_if(*scan_conjuncts, [&](const BoundExprPtr& e) {
        return std::find(decided.begin(), decided.end(), e.get()) != decided.end();
    });
    report.files_pruned = scan->files.size() - files.size();
    scan->files = std::move(files);
    return Status::Ok();
}

}  // namespace tarn::sql
