#include "format/rle_bit_packing.h"

#include <algorithm>
#include <bit>
#include <string>

#include "format/bit_packing.h"

namespace tarn::format {

int RleBitWidth(uint32_t max_value) { return std::bit_width(max_value); }

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width, std::string* out)
    : bit_width_(bit_width), out_(out) {}

void RleBitPackedEncoder::Put(const uint32_t* values, size_t n) {
    // The same stream as n calls of Put(value), with two shortcuts: an open RLE run absorbs a
    // stretch of its value at once, and at a group boundary with no run pending, 8 values that
    // are not all equal are a literal group whatever follows (runs start at group boundaries).
    const auto mask = static_cast<uint32_t>(bits::Mask(bit_width_));
    size_t i = 0;
    while (i < n) {
        if (run_length_ >= 8) {
            size_t j = i;
            while (j < n && (values[j] & mask) == run_value_) ++j;
            run_length_ += j - i;
            i = j;
            if (i == n) break;
        } else if (group_size_ == 0 && run_length_ == 0 && n - i >= 8) {
            bool all_equal = true;
            for (int k = 0; k < 8; ++k) {
                group_[k] = values[i + k] & mask;
                all_equal &= group_[k] == group_[0];
            }
            if (!all_equal) {
                group_size_ = 8;
                FlushGroup();
                i += 8;
                continue;
            }
        }
        Put(values[i++]);
    }
}

void RleBitPackedEncoder::PutRepeated(uint32_t value, uint64_t count) {
    value &= static_cast<uint32_t>(bits::Mask(bit_width_));
    // Until an RLE run of `value` is open (8 repeats from a group boundary), values go through
    // Put; after that an open run absorbs every further copy.
    while (count > 0 && !(run_length_ >= 8 && run_value_ == value)) {
        Put(value);
        --count;
    }
    run_length_ += count;
}

void RleBitPackedEncoder::Put(uint32_t value) {
    value &= static_cast<uint32_t>(bits::Mask(bit_width_));
    if (run_length_ > 0 && value == run_value_) {
        if (++run_length_ > 8) return;  // an open RLE run absorbs the value
    } else {
        if (run_length_ >= 8) WriteRleRun();
        run_value_ = value;
        run_length_ = 1;
    }
    group_[group_size_++] = value;
    if (group_size_ == 8) FlushGroup();
}

void RleBitPackedEncoder::Flush() {
    if (run_length_ >= 8) {
        WriteRleRun();
    } else if (group_size_ > 0) {
        std::fill(group_ + group_size_, group_ + 8, 0u);
        FlushGroup();
    }
    EndLiteralRun();
    run_length_ = 0;
}

void RleBitPackedEncoder::FlushGroup() {
    group_size_ = 0;
    if (run_length_ >= 8) {  // the whole group is the start of an RLE run
        EndLiteralRun();
        return;
    }
    if (literal_header_pos_ == kNoLiteralRun) {
        literal_header_pos_ = out_->size();
        out_->push_back('\0');
    }
    uint8_t packed[32];
    bits::PackerFor<uint32_t, 32>(bit_width_)(group_, 1, packed);
    out_->append(reinterpret_cast<const char*>(packed), static_cast<size_t>(bit_width_));
    run_length_ = 0;
    if (++literal_groups_ == kMaxLiteralGroups) EndLiteralRun();
}

void RleBitPackedEncoder::EndLiteralRun() {
    if (literal_header_pos_ == kNoLiteralRun) return;
    (*out_)[literal_header_pos_] = static_cast<char>((literal_groups_ << 1) | 1);
    literal_header_pos_ = kNoLiteralRun;
    literal_groups_ = 0;
}

void RleBitPackedEncoder::WriteRleRun() {
    EndLiteralRun();
    bits::AppendUleb128(run_length_ << 1, out_);
    for (int i = 0; i < (bit_width_ + 7) / 8; ++i) {
        out_->push_back(static_cast<char>((run_value_ >> (8 * i)) & 0xff));
    }
    run_length_ = 0;
}

RleBitPackedDecoder::RleBitPackedDecoder(std::string_view data, int bit_width)
    : data_(data), bit_width_(bit_width) {}

Result<size_t> RleBitPackedDecoder::Decode(uint32_t* out, size_t n) {
    size_t done = 0;
    while (done < n) {
        if (run_left_ == 0) {
            if (pos_ == data_.size()) break;
            TARN_RETURN_IF_ERROR(NextRun());
        }
        if (kind_ == RunKind::kRle) {
            const size_t k = static_cast<size_t>(std::min<uint64_t>(n - done, run_left_));
            std::fill_n(out + done, k, rle_value_);
            done += k;
            run_left_ -= k;
        } else {
            done += TakePacked(out + done, n - done);
        }
    }
    return done;
}

size_t RleBitPackedDecoder::TakePacked(uint32_t* out, size_t n) {
    size_t done = 0;
    while (group_pos_ < 8 && done < n) {
        out[done++] = group_[group_pos_++];
        --run_left_;
    }
    if (done == n) return done;
    const auto width = static_cast<size_t>(bit_width_);
    const auto* src = reinterpret_cast<const uint8_t*>(data_.data());
    const size_t groups = static_cast<size_t>(std::min<uint64_t>((n - done) / 8, run_left_ / 8));
    bits::UnpackerFor<uint32_t, 32>(bit_width_)(src + packed_pos_, groups, out + done);
    packed_pos_ += groups * width;
    done += groups * 8;
    run_left_ -= groups * 8;
    if (done < n && run_left_ > 0) {
        bits::UnpackerFor<uint32_t, 32>(bit_width_)(src + packed_pos_, 1, group_);
        packed_pos_ += width;
        group_pos_ = 0;
        while (done < n) {
            out[done++] = group_[group_pos_++];
            --run_left_;
        }
    }
    return done;
}

Status RleBitPackedDecoder::NextRun() {
    const size_t start = pos_;
    uint64_t header = 0;
    if (!bits::ReadUleb128(data_, &pos_, &header, 5) || header > UINT32_MAX) {
        return Status::Corruption("RLE/bit-packed run header truncated or too long at byte " +
                                  std::to_string(start));
    }
    const uint64_t count = header >> 1;
    if (count == 0) {
        return Status::Corruption("empty RLE/bit-packed run at byte " + std::to_string(start));
    }
    const uint64_t left = data_.size() - pos_;
    if (header & 1) {
        const uint64_t bytes = count * static_cast<uint64_t>(bit_width_);
        if (bytes > left) {
            return Status::Corruption("bit-packed run at byte " + std::to_string(start) +
                                      " needs " + std::to_string(bytes) + " bytes but " +
                                      std::to_string(left) + " remain");
        }
        kind_ = RunKind::kPacked;
        packed_pos_ = pos_;
        pos_ += static_cast<size_t>(bytes);
        run_left_ = count * 8;
        group_pos_ = 8;
        return Status::Ok();
    }
    const auto value_bytes = static_cast<size_t>((bit_width_ + 7) / 8);
    if (value_bytes > left) {
        return Status::Corruption("RLE run value at byte " + std::to_string(start) +
                                  " runs past the end");
    }
    uint64_t value = 0;
    for (size_t i = 0; i < value_bytes; ++i) {
        value |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += value_bytes;
    if (value > bits::Mask(bit_width_)) {
        return Status::Corruption("RLE run value " + std::to_string(value) + " at byte " +
                                  std::to_string(start) + " exceeds bit width " +
                                  std::to_string(bit_width_));
    }
    kind_ = RunKind::kRle;
    rle_value_ = static_cast<uint32_t>(value);
    run_left_ = count;
    return Status::Ok();
}

}  // namespace tarn::format
