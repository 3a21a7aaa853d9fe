// NestedAssembler: Dremel record assembly for one leaf of a batch. From the definition and
// repetition levels of the batch's rows (ColumnChunkReader::ReadNested) it builds the validity and
// offsets of every vector on the leaf's path (parquet_leaf_path.h gives the rules) and spreads the
// leaf's dense values over its slots: null vs empty lists, null structs whose non-nullable
// members hold defaults, lists of structs of maps, at any depth.
//
// Every level is checked: a repetition level that continues a list the previous entry did not
// enter, a null map key, or shared vectors on which two leaves disagree are Corruption, so
// whatever a file says the batch's vectors stay consistent. Scratch memory is kept across calls.
//
// Thread-safety: one thread per assembler.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/column_vector.h"
#include "common/status.h"
#include "format/parquet_column_reader.h"
#include "format/parquet_leaf_path.h"

namespace tarn::format {

class NestedAssembler {
public:
    // Assembles `rows` rows. vecs[i] is the vector of path.steps[i]; the leaf holds
    // levels.values dense values. `context` prefixes messages.
    Status Assemble(const LeafPath& path, columnar::ColumnVector* const* vecs,
                    const NestedLevels& levels, size_t rows, const std::string& context);

private:
    struct StepScratch {
        columnar::Buffer valid;    // uint8_t per slot
        columnar::Buffer offsets;  // uint32_t per slot + 1 (LIST / MAP)
        size_t count = 0;
        bool any_null = false;
    };
    std::vector<StepScratch> steps_;
    columnar::Buffer present_;    // uint8_t per leaf slot: holds a value
    std::vector<uint8_t> reach_;  // by definition level: how many lists the entry enters
};

}  // namespace tarn::format
