// A small lake for engine tests: a catalog and a local store in a temp dir, tables declared with
// exact types, and files written from NDJSON text (as NDJSON, or as Parquet of a given schema),
// registered through the catalog's file commit as delivery and ETL do.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "columnar/type_parser.h"
#include "columnar/value_format.h"
#include "sql/query_engine.h"
#include "storage/local_store.h"
#include "testing/parquet_from_ndjson.h"
#include "testing/temp_dir.h"

namespace tarn::sql {

class QueryTestLake {
public:
    QueryTestLake() : dir_("tarn-sql-test-") {
        catalog_ = *catalog::Catalog::Open(dir_.path() + "/catalog.db");
        lake_ = *storage::LocalStore::Open(dir_.path() + "/lake");
        engine_ = std::make_unique<QueryEngine>(catalog_.get(), lake_.get());
    }

    catalog::Catalog* catalog() { return catalog_.get(); }
    storage::LocalStore* lake() { return lake_.get(); }
    QueryEngine& engine() { return *engine_; }

    // Declares db.name with "a bigint, b string"-style columns and partition keys.
    void AddTable(const std::string& db, const std::string& name, catalog::DataFormat format,
                  const std::vector<catalog::Column>& columns,
                  const std::vector<catalog::Column>& partition_keys = {},
                  const std::string& time_partition_source = "") {
        (void)catalog_->CreateDatabase({.name = db});
        catalog::Table t;
        t.database = db;
        t.name = name;
        t.location = db + "/" + name + "/";
        t.format = format;
        t.columns = columns;
        t.partition_keys = partition_keys;
        t.time_partition_source = time_partition_source;
        ASSERT_TRUE(catalog_->CreateTable(t).ok());
    }

    // Writes `ndjson` as file `key` of the table (as NDJSON, or as Parquet of `file_schema`, a
    // tarn schema text such as "a BIGINT, b VARCHAR") and registers it with its partition values.
    void AddFile(const std::string& db, const std::string& name, const std::string& key,
                 const std::string& ndjson, const std::vector<std::string>& partition_values = {},
                 const std::string& file_schema = "", uint64_t row_group_bytes = 0) {
        if (file_schema.empty()) {
            ASSERT_TRUE(lake_->Put(key, ndjson).ok());
        } else {
            Status written = testing::WriteParquetFromNdjson(lake_.get(), key, ndjson, file_schema,
                                                            row_group_bytes);
            ASSERT_TRUE(written.ok()) << written.message();
        }
        auto head = lake_->Head(key);
        ASSERT_TRUE(head.ok());
        catalog::FileCommit commit;
        commit.database = db;
        commit.table = name;
        catalog::DataFile f;
        f.key = key;
        f.partition_values = partition_values;
        f.bytes = head->size;
        commit.added.push_back(f);
        auto committed = catalog_->CommitFiles(commit);
        ASSERT_TRUE(committed.ok()) << committed.status().message();
    }

    // Runs `sql`; each row as its values' CSV text joined by '|' (NULL as "NULL").
    std::vector<std::string> Rows(const std::string& sql) {
        auto result = engine_->Execute(sql);
        EXPECT_TRUE(result.ok()) << sql << ": " << result.status().message();
        if (!result.ok()) return {};
        last_ = *std::move(result);
        std::vector<std::string> rows;
        for (const columnar::RecordBatch& b : last_.batches) {
            for (size_t r = 0; r < b.num_rows(); ++r) {
                std::string row;
                for (size_t c = 0; c < b.num_columns(); ++c) {
                    if (c) row += '|';
                    if (b.column(c).IsNull(r)) {
                        row += "NULL";
                    } else if (b.column(c).type().is_nested()) {
                        columnar::AppendValueJson(b.column(c), r, &row);
                    } else if (b.column(c).type().is_string_like()) {
                        row += b.column(c).GetString(r);
                    } else {
                        columnar::AppendValueCsv(b.column(c), r, &row);
                    }
                }
                rows.push_back(std::move(row));
            }
        }
        return rows;
    }

    // The last successful result of Rows().
    const QueryResult& last() const { return last_; }

    // The error of `sql`, which must fail; its phase in *phase.
    Status Error(const std::string& sql, QueryPhase* phase = nullptr) {
        auto result = engine_->Execute(sql, phase);
        EXPECT_FALSE(result.ok()) << sql << " succeeded";
        return result.ok() ? Status::Ok() : result.status();
    }

private:
    testing::TempDir dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
    std::unique_ptr<storage::LocalStore> lake_;
    std::unique_ptr<QueryEngine> engine_;
    QueryResult last_;
};

}  // namespace tarn::sql
