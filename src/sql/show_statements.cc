// The catalog statements (show_statements.h).
#include "sql/show_statements.h"

#include "sql/functions/functions.h"

namespace tarn::sql {
namespace {

using columnar::DataType;

Result<QueryResult> TextResult(const std::vector<std::string>& names,
                               const std::vector<std::vector<std::string>>& rows) {
    QueryResult result;
    std::vector<columnar::Field> fields;
    for (size_t i = 0; i < names.size(); ++i) {
        result.columns.push_back({names[i], DataType::Varchar(), "varchar"});
        fields.push_back({"_" + std::to_string(i), DataType::Varchar(), true});
    }
    TARN_ASSIGN_OR_RETURN(columnar::Schema schema, columnar::Schema::Make(std::move(fields)));
    auto shared = std::make_shared<const columnar::Schema>(std::move(schema));
    columnar::RecordBatch batch(shared, rows.size());
    for (const auto& row : rows) {
        for (size_t c = 0; c < names.size(); ++c) batch.column(c).AppendString(row[c]);
    }
    batch.set_num_rows(rows.size());
    result.stats.rows_returned = rows.size();
    if (!rows.empty()) result.batches.push_back(std::move(batch));
    return result;
}

std::string PartitionName(const catalog::Table& table, const catalog::Partition& p) {
    std::string out;
    for (size_t k = 0; k < table.partition_keys.size() && k < p.values.size(); ++k) {
        if (!out.empty()) out += '/';
        out += table.partition_keys[k].name + "=" + p.values[k];
    }
    return out;
}

}  // namespace

bool MatchesLikePattern(std::string_view text, std::string_view pattern) {
    size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
            ++t;
            ++p;
        } else if (p < pattern.size() && pattern[p] == '%') {
            star_p = p++;
            star_t = t;
        } else if (star_p != std::string_view::npos) {
            p = star_p + 1;
            t = ++star_t;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    return p == pattern.size();
}

Result<QueryResult> RunShowStatement(const Statement& statement, catalog::Catalog* catalog,
                                     const BinderOptions& options) {
    std::vector<std::vector<std::string>> rows;
    auto like = [&](const std::string& name) {
        return !statement.like_pattern || MatchesLikePattern(name, *statement.like_pattern);
    };
    switch (statement.kind) {
        case StatementKind::kShowDatabases: {
            TARN_ASSIGN_OR_RETURN(auto databases, catalog->ListDatabases());
            for (const catalog::Database& d : databases) {
                if (like(d.name)) rows.push_back({d.name});
            }
            return TextResult({"Schema"}, rows);
        }
        case StatementKind::kShowTables: {
            const std::string database = statement.name.parts.empty()
                                             ? options.default_database
                                             : statement.name.parts.back().name;
            if (statement.name.parts.empty() && !catalog->GetDatabase(database).ok()) {
                // No session database: every table, qualified (as names resolve, see binder.h).
                TARN_ASSIGN_OR_RETURN(auto databases, catalog->ListDatabases());
                for (const catalog::Database& d : databases) {
                    TARN_ASSIGN_OR_RETURN(auto tables, catalog->ListTables(d.name));
                    for (const catalog::Table& t : tables) {
                        if (like(t.name)) rows.push_back({d.name + "." + t.name});
                    }
                }
                return TextResult({"Table"}, rows);
            }
            auto tables = catalog->ListTables(database);
            if (!tables.ok()) {
                if (tables.status().code() == StatusCode::kNotFound) {
                    return Status::NotFound(AtPosition(statement.name.pos,
                                                       "Schema '" + database + "' does not exist"));
                }
                return tables.status();
            }
            for (const catalog::Table& t : *tables) {
                if (like(t.name)) rows.push_back({t.name});
            }
            return TextResult({"Table"}, rows);
        }
        case StatementKind::kShowColumns:
        case StatementKind::kDescribe: {
            TARN_ASSIGN_OR_RETURN(auto table, ResolveTable(statement.name, catalog, options));
            for (size_t i = 0; i < table->columns.size(); ++i) {
                const bool partition = i >= table->data_columns;
                const catalog::Column& c = partition
                                               ? table->table.partition_keys[i - table->data_columns]
                                               : table->table.columns[i];
                rows.push_back({table->columns[i].name, SqlTypeName(table->columns[i].type),
                                partition ? "partition key" : "", c.comment});
            }
            return TextResult({"Column", "Type", "Extra", "Comment"}, rows);
        }
        case StatementKind::kShowPartitions: {
            TARN_ASSIGN_OR_RETURN(auto table, ResolveTable(statement.name, catalog, options));
            TARN_ASSIGN_OR_RETURN(auto partitions,
                                  catalog->ListPartitions(table->table.database, table->table.name));
            for (const catalog::Partition& p : partitions) {
                rows.push_back({PartitionName(table->table, p)});
            }
            return TextResult({"partition"}, rows);
        }
        default: return Status::Internal("not a SHOW statement");
    }
}

Result<QueryResult> ExplainResult(const LogicalOperator& plan) {
    std::vector<std::vector<std::string>> rows;
    const std::string text = plan.ToString();
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        rows.push_back({text.substr(start, end - start)});
        start = end + 1;
    }
    return TextResult({"Query Plan"}, rows);
}

}  // namespace tarn::sql
