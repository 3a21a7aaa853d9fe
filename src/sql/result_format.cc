// Text forms of a query's answer (result_format.h).
#include "sql/result_format.h"

#include <cstdio>

#include "columnar/value_format.h"
#include "common/json_escape.h"

namespace tarn::sql {
namespace {

std::string Ms(int64_t micros) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(micros) / 1000.0);
    return buf;
}

std::string Bytes(uint64_t n) {
    static const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
    double v = static_cast<double>(n);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[u]);
    return buf;
}

// UTF-8 code points, for padding.
size_t DisplayWidth(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Bare text for scalars (no quotes around strings, dates or timestamps), JSON for nested values.
std::string CellText(const columnar::ColumnVector& col, size_t row) {
    if (col.IsNull(row)) return "NULL";
    std::string out;
    if (col.type().id() == columnar::TypeId::kVarchar) return std::string(col.GetString(row));
    if (col.type().is_nested()) {
        columnar::AppendValueJson(col, row, &out);
    } else {
        columnar::AppendValueCsv(col, row, &out);
    }
    return out;
}

}  // namespace

std::string FormatStatsJson(const QueryStats& s) {
    std::string out = "{";
    auto add = [&](const char* name, uint64_t v) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += name;
        out += "\":" + std::to_string(v);
    };
    add("rows_scanned", s.rows_scanned);
    add("bytes_scanned", s.bytes_scanned);
    add("files_read", s.files_read);
    add("files_pruned", s.files_pruned);
    add("partitions_read", s.partitions_read);
    add("partitions_pruned", s.partitions_pruned);
    add("row_groups_read", s.row_groups_read);
    add("row_groups_pruned", s.row_groups_pruned);
    add("rows_returned", s.rows_returned);
    out += ",\"planning_ms\":" + Ms(s.planning_micros);
    out += ",\"execution_ms\":" + Ms(s.execution_micros) + "}";
    return out;
}

std::string FormatJson(const QueryResult& result) {
    std::string out = "{\"columns\":[";
    for (size_t c = 0; c < result.columns.size(); ++c) {
        if (c) out += ',';
        out += "{\"name\":";
        AppendJsonString(out, result.columns[c].name);
        out += ",\"type\":";
        AppendJsonString(out, result.columns[c].type_name);
        out += '}';
    }
    out += "],\"rows\":[";
    bool first_row = true;
    for (const columnar::RecordBatch& batch : result.batches) {
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            out += first_row ? "[" : ",[";
            first_row = false;
            for (size_t c = 0; c < batch.num_columns(); ++c) {
                if (c) out += ',';
                columnar::AppendValueJson(batch.column(c), r, &out);
            }
            out += ']';
        }
    }
    out += "],\"stats\":" + FormatStatsJson(result.stats) + "}";
    return out;
}

std::string FormatCsv(const QueryResult& result) {
    std::string out;
    for (size_t c = 0; c < result.columns.size(); ++c) {
        if (c) out += ',';
        columnar::AppendCsvText(result.columns[c].name, &out);
    }
    out += '\n';
    for (const columnar::RecordBatch& batch : result.batches) {
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            for (size_t c = 0; c < batch.num_columns(); ++c) {
                if (c) out += ',';
                columnar::AppendValueCsv(batch.column(c), r, &out);
            }
            out += '\n';
        }
    }
    return out;
}

std::string FormatTable(const QueryResult& result, size_t max_width) {
    const size_t n = result.columns.size();
    std::vector<std::vector<std::string>> cells;
    std::vector<size_t> width(n);
    for (size_t c = 0; c < n; ++c) width[c] = DisplayWidth(result.columns[c].name);
    for (const columnar::RecordBatch& batch : result.batches) {
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            std::vector<std::string> row;
            for (size_t c = 0; c < n; ++c) {
                std::string text = CellText(batch.column(c), r);
                if (DisplayWidth(text) > max_width) text = text.substr(0, max_width - 3) + "...";
                width[c] = std::max(width[c], DisplayWidth(text));
                row.push_back(std::move(text));
            }
            cells.push_back(std::move(row));
        }
    }
    std::string out;
    auto pad = [&](const std::string& s, size_t w, bool right) {
        const std::string fill(w - DisplayWidth(s), ' ');
        out += right ? fill + s : s + fill;
    };
    auto numeric = [&](size_t c) {
        const auto id = result.columns[c].type.id();
        return id >= columnar::TypeId::kInt8 && id <= columnar::TypeId::kDecimal;
    };
    for (size_t c = 0; c < n; ++c) {
        out += c ? " | " : " ";
        pad(result.columns[c].name, width[c], false);
    }
    out += "\n";
    for (size_t c = 0; c < n; ++c) {
        out += c ? "-+-" : "-";
        out += std::string(width[c], '-');
    }
    out += "-\n";
    for (const auto& row : cells) {
        for (size_t c = 0; c < n; ++c) {
            out += c ? " | " : " ";
            pad(row[c], width[c], numeric(c));
        }
        out += "\n";
    }
    out += "(" + std::to_string(cells.size()) + (cells.size() == 1 ? " row)\n" : " rows)\n");
    return out;
}

std::string FormatStatsLine(const QueryResult& result) {
    const QueryStats& s = result.stats;
    std::string out = std::to_string(result.num_rows()) + " rows in " +
                      Ms(s.planning_micros + s.execution_micros) + " ms; scanned " +
                      Bytes(s.bytes_scanned) + ", " + std::to_string(s.rows_scanned) + " rows, " +
                      std::to_string(s.files_read) + " files";
    if (s.files_pruned) out += " (" + std::to_string(s.files_pruned) + " pruned)";
    if (s.partitions_read + s.partitions_pruned) {
        out += ", " + std::to_string(s.partitions_read) + " of " +
               std::to_string(s.partitions_read + s.partitions_pruned) + " partitions";
    }
    if (s.row_groups_pruned) {
        out += ", " + std::to_string(s.row_groups_pruned) + " row groups skipped";
    }
    return out;
}

}  // namespace tarn::sql
