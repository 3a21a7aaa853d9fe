#include "format/parquet_column_reader.h"

#include <algorithm>
#include <utility>

#include "format/parquet_expand.h"
#include "format/rle_bit_packing.h"

namespace tarn::format {

using columnar::ColumnVector;

namespace {

// Nested leaves decode this many levels ahead at a time.
constexpr size_t kLevelWindow = 4096;
// A batch holds at most this many entries of one nested leaf (values, nulls and empty lists): a
// bound on the memory one batch of a file can make the reader use.
constexpr size_t kMaxBatchEntries = size_t{1} << 24;

// Slots [base, base + k) of `v` become null where level[i] < threshold.
void WriteValidity(ColumnVector* v, size_t base, const uint16_t* level, size_t k,
                   uint16_t threshold) {
    uint64_t* words = v->MutableValidityBits();
    size_t i = 0;
    while (i < k) {
        const size_t bit = (base + i) & 63;
        const size_t take = std::min<size_t>(64 - bit, k - i);
        uint64_t valid = 0;
        for (size_t j = 0; j < take; ++j) {
            valid |= static_cast<uint64_t>(level[i + j] >= threshold) << j;
        }
        const uint64_t mask = (take == 64 ? ~uint64_t{0} : (uint64_t{1} << take) - 1) << bit;
        uint64_t& w = words[(base + i) >> 6];
        w = (w & ~mask) | (valid << bit);
        i += take;
    }
}

// Slots [base, base + k) of `v` become null.
void ClearRange(ColumnVector* v, size_t base, size_t k) {
    uint64_t* words = v->MutableValidityBits();
    size_t i = base;
    const size_t end = base + k;
    while (i < end && (i & 63) != 0) {
        words[i >> 6] &= ~(uint64_t{1} << (i & 63));
        ++i;
    }
    for (; i + 64 <= end; i += 64) words[i >> 6] = 0;
    for (; i < end; ++i) words[i >> 6] &= ~(uint64_t{1} << (i & 63));
}

}  // namespace

ColumnChunkReader::ColumnChunkReader(const ParquetColumn& column, const LeafPath& path,
                                     std::string file)
    : column_(column),
      path_(path),
      file_(std::move(file)),
      context_(file_ + ": column '" + column.PathString() + "'"),
      values_(column, context_) {}

void ColumnChunkReader::Start(std::string_view chunk, const ColumnMetaData& meta, size_t row_group,
                              int64_t num_rows) {
    context_ =
        file_ + ": column '" + column_.PathString() + "' of row group " + std::to_string(row_group);
    pages_.Reset(chunk, meta.codec, column_.max_def_level, column_.max_rep_level, context_);
    values_.ResetChunk(context_);
    chunk_values_ = meta.num_values;
    levels_seen_ = 0;
    num_rows_ = num_rows;
    rows_read_ = 0;
    data_seen_ = false;
    page_left_ = 0;
    win_pos_ = win_len_ = 0;
}

Status ColumnChunkReader::Fail(const std::string& what) const {
    return Status::Corruption(context_ + ": " + what);
}

Result<bool> ColumnChunkReader::NextDataPage() {
    ParquetPage page;
    while (true) {
        TARN_ASSIGN_OR_RETURN(const bool more, pages_.Next(&page));
        if (!more) return false;
        if (page.type == PageType::kDictionaryPage) {
            if (data_seen_) return Fail("a dictionary page follows data pages");
            TARN_RETURN_IF_ERROR(
                values_.SetDictionary(page.encoding, page.values, page.num_values));
            continue;
        }
        data_seen_ = true;
        levels_seen_ += static_cast<int64_t>(page.num_values);
        if (levels_seen_ > chunk_values_) {
            return Fail("pages hold more than the chunk's " + std::to_string(chunk_values_) +
                        " values");
        }
        if (column_.max_def_level > 0) {
            def_.Reset(page.def_levels, RleBitWidth(static_cast<uint32_t>(column_.max_def_level)));
        }
        if (column_.max_rep_level > 0) {
            rep_.Reset(page.rep_levels, RleBitWidth(static_cast<uint32_t>(column_.max_rep_level)));
        }
        TARN_RETURN_IF_ERROR(values_.StartPage(page.encoding, page.values, page.num_values));
        page_left_ = page.num_values;
        if (page_left_ > 0) return true;
    }
}

Status ColumnChunkReader::CheckLevels(const uint16_t* levels, size_t n, int16_t max,
                                      const char* what) const {
    uint16_t top = 0;
    for (size_t i = 0; i < n; ++i) top = std::max(top, levels[i]);
    if (top > static_cast<uint16_t>(max)) {
        return Fail(std::string(what) + " level " + std::to_string(top) + " exceeds the maximum " +
                    std::to_string(max));
    }
    return Status::Ok();
}

Status ColumnChunkReader::DecodeValuesInto(size_t n, ColumnVector* leaf, size_t pos) {
    if (n == 0) return Status::Ok();
    if (leaf->length() < pos + n) leaf->Resize(pos + n);
    return values_.Decode(n, leaf, pos);
}

Status ColumnChunkReader::ReadFlat(size_t rows, ColumnVector* const* vecs) {
    const int16_t max_def = column_.max_def_level;
    const size_t m = path_.steps.size();
    ColumnVector* leaf = vecs[m - 1];
    size_t done = 0;
    while (done < rows) {
        if (page_left_ == 0) {
            TARN_ASSIGN_OR_RETURN(const bool more, NextDataPage());
            if (!more) {
                return Fail("the column chunk ends after " +
                            std::to_string(rows_read_ + static_cast<int64_t>(done)) +
                            " of the row group's " + std::to_string(num_rows_) + " rows");
            }
        }
        const size_t k = std::min(rows - done, page_left_);
        if (max_def == 0) {
            TARN_RETURN_IF_ERROR(values_.Decode(k, leaf, done));
        } else {
            uint32_t level = 0;
            Result<bool> constant = def_.GetConstant(k, &level);
            if (!constant.ok()) return Fail("definition levels: " + constant.status().message());
            if (*constant) {
                if (level > static_cast<uint32_t>(max_def)) {
                    return Fail("definition level " + std::to_string(level) +
                                " exceeds the maximum " + std::to_string(max_def));
                }
                if (level == static_cast<uint32_t>(max_def)) {
                    TARN_RETURN_IF_ERROR(values_.Decode(k, leaf, done));
                } else {
                    for (size_t s = 0; s < m; ++s) {
                        const PathStep& st = path_.steps[s];
                        if (st.driver && st.optional &&
                            level < static_cast<uint32_t>(st.def_level)) {
                            ClearRange(vecs[s], done, k);
                        }
                    }
                    if (leaf->HasOffsets()) {  // empty strings in the null slots
                        uint32_t* off = leaf->mutable_offsets();
                        std::fill(off + done + 1, off + done + k + 1, off[done]);
                    }
                }
            } else {
                def_scratch_.Resize(k * sizeof(uint16_t));
                auto* def = def_scratch_.mutable_data_as<uint16_t>();
                Status s = def_.Get<uint16_t>(def, k);
                if (!s.ok()) return Fail("definition levels: " + s.message());
                TARN_RETURN_IF_ERROR(CheckLevels(def, k, max_def, "definition"));
                for (size_t i = 0; i < m; ++i) {
                    const PathStep& st = path_.steps[i];
                    if (st.driver && st.optional) {
                        WriteValidity(vecs[i], done, def, k, static_cast<uint16_t>(st.def_level));
                    }
                }
                size_t valid = 0;
                const auto top = static_cast<uint16_t>(max_def);
                for (size_t i = 0; i < k; ++i) valid += def[i] == top;
                TARN_RETURN_IF_ERROR(values_.Decode(valid, leaf, done));
                ExpandValues(leaf, done, k, valid, [def, top](size_t i) { return def[i] == top; });
            }
        }
        done += k;
        page_left_ -= k;
    }
    rows_read_ += static_cast<int64_t>(rows);
    return Status::Ok();
}

Status ColumnChunkReader::ReadNested(size_t rows, NestedLevels* levels, ColumnVector* leaf) {
    const auto top = static_cast<uint16_t>(column_.max_def_level);
    levels->entries = 0;
    levels->values = 0;
    size_t rows_seen = 0;
    while (true) {
        if (win_pos_ == win_len_) {
            if (page_left_ == 0) {
                TARN_ASSIGN_OR_RETURN(const bool more, NextDataPage());
                if (!more) break;
            }
            const size_t w = std::min(kLevelWindow, page_left_);
            win_def_.Resize(w * sizeof(uint16_t));
            win_rep_.Resize(w * sizeof(uint16_t));
            auto* def = win_def_.mutable_data_as<uint16_t>();
            auto* rep = win_rep_.mutable_data_as<uint16_t>();
            Status s = rep_.Get<uint16_t>(rep, w);
            if (!s.ok()) return Fail("repetition levels: " + s.message());
            if (column_.max_def_level > 0) {
                s = def_.Get<uint16_t>(def, w);
                if (!s.ok()) return Fail("definition levels: " + s.message());
            } else {
                std::fill_n(def, w, uint16_t{0});
            }
            TARN_RETURN_IF_ERROR(CheckLevels(rep, w, column_.max_rep_level, "repetition"));
            TARN_RETURN_IF_ERROR(CheckLevels(def, w, column_.max_def_level, "definition"));
            page_left_ -= w;
            win_pos_ = 0;
            win_len_ = w;
        }
        const uint16_t* def = win_def_.data_as<uint16_t>();
        const uint16_t* rep = win_rep_.data_as<uint16_t>();
        size_t i = win_pos_;
        bool stop = false;
        for (; i < win_len_; ++i) {
            if (rep[i] == 0) {
                if (rows_seen == rows) {
                    stop = true;
                    break;
                }
                ++rows_seen;
            } else if (rows_seen == 0) {
                return Fail("a row starts with repetition level " + std::to_string(rep[i]));
            }
        }
        const size_t n = i - win_pos_;
        if (n > 0) {
            const size_t at = levels->entries;
            if (at + n > kMaxBatchEntries) {
                return Status::ResourceExhausted(context_ + ": " + std::to_string(rows) +
                                                 " rows hold more than " +
                                                 std::to_string(kMaxBatchEntries) +
                                                 " nested values; read with fewer rows per batch");
            }
            levels->def.Resize((at + n) * sizeof(uint16_t));
            levels->rep.Resize((at + n) * sizeof(uint16_t));
            std::copy_n(def + win_pos_, n, levels->def.mutable_data_as<uint16_t>() + at);
            std::copy_n(rep + win_pos_, n, levels->rep.mutable_data_as<uint16_t>() + at);
            levels->entries += n;
            size_t valid = 0;
            for (size_t j = win_pos_; j < i; ++j) valid += def[j] == top;
            TARN_RETURN_IF_ERROR(DecodeValuesInto(valid, leaf, levels->values));
            levels->values += valid;
            win_pos_ = i;
        }
        if (stop) break;
    }
    if (rows_seen < rows) {
        return Fail("the column chunk ends after " +
                    std::to_string(rows_read_ + static_cast<int64_t>(rows_seen)) +
                    " of the row group's " + std::to_string(num_rows_) + " rows");
    }
    rows_read_ += static_cast<int64_t>(rows);
    return Status::Ok();
}

}  // namespace tarn::format
