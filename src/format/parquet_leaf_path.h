// LeafPath: how one projected Parquet leaf column reaches the vectors of an output batch, the
// plan the reader's level assembly follows. Built once per reader from the leaf's ColumnSteps
// (parquet_schema.h) and the projection; internal to the format module.
//
// Levels to vectors, with d the entry's definition level and r its repetition level:
//   - every step is one vector: the top-level column, struct members, list/map children, the leaf;
//   - a vector's slot is valid unless its step is optional and d < def_level (a step that is not
//     optional is valid even under a null parent: it holds defaults, as columnar requires);
//   - a LIST/MAP slot has entries when d > def_level (empty at d == def_level); its entries are
//     slots of the next vector; an entry with r = rep_level adds one to the current slot
//     (start_step[r] is the step where such an entry begins new slots);
//   - the leaf slot holds a value when d == max_def_level, else a null or a default.
// Shared vectors (a struct with several projected members, a map's keys and values) are written
// by their first projected leaf, the `driver`; the others check that their levels agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/data_type.h"

namespace tarn::format {

struct PathStep {
    columnar::TypeId kind = columnar::TypeId::kInt32;
    bool optional = false;  // the Parquet field has its own definition level
    bool nullable = true;   // the columnar field may be null (map keys may not, even if optional)
    bool driver = false;    // this leaf writes the vector's validity and offsets
    int16_t def_level = 0;
    int16_t rep_level = 0;  // LIST / MAP
    uint16_t child = 0;     // the child vector the path continues in (projected index)
};

struct LeafPath {
    size_t leaf = 0;           // index into ParquetSchema::columns
    size_t output_column = 0;  // the batch column holding steps.front()
    std::string name;          // "a.b.element", for messages
    int16_t max_def = 0;
    int16_t max_rep = 0;
    std::vector<PathStep> steps;
    // By repetition level r (0..max_rep): the step where an entry with r starts new slots, and
    // (r >= 1) the LIST/MAP step whose current slot it adds an entry to.
    std::vector<size_t> start_step;
    std::vector<size_t> list_step;

    bool flat() const { return max_rep == 0; }
};

// The vectors of `path` in a batch column: out[i] is the vector of steps[i].
// REQUIRES: out has room for path.steps.size() pointers; `top`'s type matches the path.
inline void ResolvePath(const LeafPath& path, columnar::ColumnVector* top,
                        columnar::ColumnVector** out) {
    columnar::ColumnVector* v = top;
    for (size_t i = 0; i < path.steps.size(); ++i) {
        out[i] = v;
        if (i + 1 < path.steps.size()) v = &v->child(path.steps[i].child);
    }
}

}  // namespace tarn::format
