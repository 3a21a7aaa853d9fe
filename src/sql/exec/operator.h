// Physical operators: the vectorized executor's pull model. A query is a tree of operators; the
// root is pulled batch by batch. Each operator owns the batch it returns, which stays valid (and
// unchanged) until its next Next() call, so pass-through costs nothing. The virtual call is per
// batch (up to kDefaultBatchRows rows), never per row.
//
// Thread-safety: one thread at a time per operator tree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"

namespace tarn::sql {

// What a query read and how long it took: Athena's cost metric and then some.
struct QueryStats {
    uint64_t rows_scanned = 0;        // rows the scans returned (after row-group pruning)
    uint64_t bytes_scanned = 0;       // bytes fetched from the lake (Parquet: the chunks read)
    uint64_t files_read = 0;
    uint64_t files_pruned = 0;        // by partition pruning and Parquet min/max of whole files
    uint64_t partitions_read = 0;
    uint64_t partitions_pruned = 0;
    uint64_t row_groups_read = 0;
    uint64_t row_groups_pruned = 0;
    uint64_t rows_returned = 0;
    int64_t planning_micros = 0;
    int64_t execution_micros = 0;
};

// What every operator of one query shares.
struct ExecContext {
    QueryStats stats;
    int64_t now_micros = 0;  // the query's start (current_timestamp)
};

class Operator {
public:
    virtual ~Operator() = default;
    Operator(const Operator&) = delete;
    Operator& operator=(const Operator&) = delete;

    const std::shared_ptr<const columnar::Schema>& schema() const { return schema_; }

    // The next batch (with at least one row), or nullptr at the end. The batch is owned by the
    // operator and valid until the next call. After an error, the query is over.
    virtual Result<const columnar::RecordBatch*> Next() = 0;

protected:
    explicit Operator(std::shared_ptr<const columnar::Schema> schema) : schema_(std::move(schema)) {}

    std::shared_ptr<const columnar::Schema> schema_;
};

using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace tarn::sql
