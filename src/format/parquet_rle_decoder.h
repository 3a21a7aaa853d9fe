// RleDecoder: the reader's decoder of Parquet's RLE/bit-packing hybrid (definition and repetition
// levels, dictionary indices, v2 booleans), built for bulk decoding: RLE runs fill, bit-packed runs
// are unpacked eight values at a time straight into the caller's array, and GetConstant lets a
// caller see that the next n values are one RLE run without materializing them (a column without
// nulls has one run of max_def_level per page).
//
// As parquet-mr and Arrow do, a final bit-packed run whose bytes end early (some writers do not pad
// the last group) yields the values its bytes hold; asking for more values than the runs hold is
// Status::Corruption. Never allocates. Internal to the format module.
//
// Thread-safety: one thread per decoder.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/status.h"
#include "format/bit_packing.h"

namespace tarn::format {

class RleDecoder {
public:
    RleDecoder() = default;

    // Starts decoding `data` (the runs only: no length prefix or bit-width byte).
    // REQUIRES: 0 <= bit_width <= 32; `data` outlives the decoding.
    void Reset(std::string_view data, int bit_width) {
        pos_ = reinterpret_cast<const uint8_t*>(data.data());
        end_ = pos_ + data.size();
        begin_ = pos_;
        width_ = bit_width;
        left_ = 0;
        group_pos_ = 8;
        group_avail_ = 0;
    }

    int bit_width() const { return width_; }

    // Decodes exactly n values into out[0, n). T is uint8_t (bit width <= 8), uint16_t (<= 16) or
    // uint32_t (<= 32).
    template <class T>
    Status Get(T* out, size_t n) {
        size_t done = 0;
        while (done < n) {
            if (left_ == 0) TARN_RETURN_IF_ERROR(NextRun(n - done));
            if (rle_) {
                const size_t k = std::min<uint64_t>(n - done, left_);
                std::fill_n(out + done, k, static_cast<T>(value_));
                done += k;
                left_ -= k;
                continue;
            }
            // Bit-packed: first what is left of an unpacked group.
            while (group_pos_ < group_avail_ && done < n) {
                out[done++] = static_cast<T>(group_[group_pos_++]);
                --left_;
            }
            if (done == n) break;
            // Whole groups straight into the output.
            const size_t bytes_left = static_cast<size_t>(end_ - pos_);
            const size_t whole = width_ == 0 ? left_ / 8 : bytes_left / static_cast<size_t>(width_);
            const size_t groups = std::min<uint64_t>({(n - done) / 8, left_ / 8, whole});
            if (groups > 0) {
                bits::UnpackerFor<T, MaxWidth<T>()>(width_)(pos_, groups, out + done);
                pos_ += groups * static_cast<size_t>(width_);
                done += groups * 8;
                left_ -= groups * 8;
                continue;
            }
            if (left_ > 0) UnpackGroup();
        }
        return Status::Ok();
    }

    // When the next n values (n >= 1) are all one value inside one RLE run, consumes them, sets
    // *value and returns true; otherwise consumes nothing and returns false.
    Result<bool> GetConstant(size_t n, uint32_t* value) {
        if (left_ == 0) {
            if (pos_ >= end_) return false;  // Get() reports the missing values
            TARN_RETURN_IF_ERROR(NextRun(n));
        }
        if (!rle_ || left_ < n) return false;
        *value = value_;
        left_ -= n;
        return true;
    }

private:
    template <class T>
    static constexpr int MaxWidth() {
        return static_cast<int>(sizeof(T) * 8);
    }

    // Unpacks the next group of the current bit-packed run into group_, zero-padding a group whose
    // bytes end early.
    void UnpackGroup() {
        const auto width = static_cast<size_t>(width_);
        const size_t bytes_left = static_cast<size_t>(end_ - pos_);
        if (bytes_left >= width) {
            bits::UnpackerFor<uint32_t, 32>(width_)(pos_, 1, group_);
            pos_ += width;
        } else {
            uint8_t padded[32] = {};
            std::memcpy(padded, pos_, bytes_left);
            bits::UnpackerFor<uint32_t, 32>(width_)(padded, 1, group_);
            pos_ = end_;
        }
        group_pos_ = 0;
        group_avail_ = static_cast<int>(std::min<uint64_t>(8, left_));
    }

    Status NextRun(size_t wanted);

    const uint8_t* begin_ = nullptr;
    const uint8_t* pos_ = nullptr;
    const uint8_t* end_ = nullptr;
    int width_ = 0;
    bool rle_ = true;
    uint32_t value_ = 0;
    uint64_t left_ = 0;  // values of the current run not yet returned
    uint32_t group_[8] = {};
    int group_pos_ = 8;
    int group_avail_ = 0;
};

}  // namespace tarn::format
