// Internal to sql/exec/: GroupKeys maps rows of GROUP BY key columns to dense group ids
// (0, 1, 2, ... in order of first appearance), with SQL's grouping equality: NULLs form one
// group, -0.0 = 0.0, all NaNs are one group.
//
// Per batch, the keys are hashed column-wise into one hash vector (one typed loop per key
// column); then each row probes a flat open-addressing table (linear probing, load <= 1/2) whose
// slots hold a group id and the high half of its hash, so key values are compared only when that
// matches. Each group's key values are stored once, columnar (one ColumnVector per key), appended
// when the group is new, so they are the output's key columns as they stand.
//
// Thread-safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"

namespace tarn::sql {

class GroupKeys {
public:
    // REQUIRES: no type is nested (the hash aggregate reports those before building this).
    explicit GroupKeys(const std::vector<columnar::DataType>& key_types);

    // Sets group_ids[i] to row i's group, adding groups for new key values.
    // REQUIRES: columns.size() == number of keys, each with >= rows slots of its key type.
    void FindOrInsert(std::span<const columnar::ColumnVector* const> columns, size_t rows,
                      uint32_t* group_ids);

    size_t num_groups() const { return group_hashes_.size(); }
    // The key values of every group, group id = row.
    const columnar::ColumnVector& key_column(size_t k) const { return stored_[k]; }

private:
    // Typed per-key operations, chosen once per key type.
    struct KeyOps {
        void (*hash)(const columnar::ColumnVector& c, size_t rows, uint64_t* hashes);
        bool (*equal)(const columnar::ColumnVector& in, size_t row,
                      const columnar::ColumnVector& stored, size_t group);
    };

    static KeyOps OpsFor(const columnar::DataType& type);
    void Grow();

    std::vector<KeyOps> ops_;
    std::vector<columnar::ColumnVector> stored_;
    std::vector<uint64_t> group_hashes_;  // by group id
    std::vector<uint64_t> slots_;         // hash tag | group id, or empty; power-of-two size
    std::vector<uint64_t> hashes_;        // scratch, one per row of the current batch
};

}  // namespace tarn::sql
