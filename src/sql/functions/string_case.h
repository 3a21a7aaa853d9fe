// Internal to sql/functions/: lower() and upper() (string_case.cc), bound by string_functions.cc.
// Arguments as bound: one VARCHAR.
#pragma once

#include <span>

#include "columnar/column_vector.h"
#include "common/status.h"
#include "sql/functions/functions.h"

namespace tarn::sql {

Status LowerKernel(const KernelContext& ctx, std::span<const columnar::ColumnVector* const> args,
                   columnar::ColumnVector* out);
Status UpperKernel(const KernelContext& ctx, std::span<const columnar::ColumnVector* const> args,
                   columnar::ColumnVector* out);

}  // namespace tarn::sql
