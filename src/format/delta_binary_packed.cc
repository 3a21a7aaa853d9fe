#include "format/delta_binary_packed.h"

#include <algorithm>
#include <bit>
#include <string>
#include <type_traits>

#include "format/bit_packing.h"

namespace tarn::format {
namespace {

constexpr uint64_t kMaxBlockSize = uint64_t{1} << 20;  // far above what any writer uses

std::string At(size_t pos) { return " at byte " + std::to_string(pos); }

}  // namespace

template <typename T>
DeltaBinaryPackedEncoder<T>::DeltaBinaryPackedEncoder(uint32_t block_size, uint32_t miniblocks)
    : block_size_(block_size),
      miniblocks_(miniblocks),
      miniblock_size_(block_size / miniblocks),
      deltas_(block_size),
      relative_(block_size),
      widths_(miniblocks) {}

template <typename T>
void DeltaBinaryPackedEncoder<T>::Put(const T* values, size_t n) {
    for (size_t i = 0; i < n; ++i) Put(values[i]);
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::Put(T value) {
    using U = std::make_unsigned_t<T>;
    if (count_++ == 0) {
        first_ = value;
    } else {
        deltas_[n_deltas_++] = static_cast<T>(static_cast<U>(value) - static_cast<U>(last_));
        if (n_deltas_ == block_size_) FlushBlock();
    }
    last_ = value;
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FlushBlock() {
    using U = std::make_unsigned_t<T>;
    const T min_delta = *std::min_element(deltas_.begin(), deltas_.begin() + n_deltas_);
    std::fill(relative_.begin(), relative_.end(), 0);
    for (size_t i = 0; i < n_deltas_; ++i) {
        relative_[i] = static_cast<U>(static_cast<U>(deltas_[i]) - static_cast<U>(min_delta));
    }
    bits::AppendUleb128(bits::ZigZagEncode(min_delta), &body_);
    const size_t used = (n_deltas_ + miniblock_size_ - 1) / miniblock_size_;
    for (size_t m = 0; m < miniblocks_; ++m) {
        uint64_t max = 0;
        if (m < used) {
            const auto begin = relative_.begin() + static_cast<ptrdiff_t>(m * miniblock_size_);
            max = *std::max_element(begin, begin + miniblock_size_);
        }
        widths_[m] = static_cast<uint8_t>(std::bit_width(max));
    }
    body_.append(reinterpret_cast<const char*>(widths_.data()), widths_.size());
    for (size_t m = 0; m < used; ++m) {
        bits::Pack<uint64_t, 64>(relative_.data() + m * miniblock_size_, miniblock_size_,
                                 widths_[m], &body_);
    }
    n_deltas_ = 0;
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::Finish(std::string* out) {
    if (n_deltas_ > 0) FlushBlock();
    bits::AppendUleb128(block_size_, out);
    bits::AppendUleb128(miniblocks_, out);
    bits::AppendUleb128(count_, out);
    bits::AppendUleb128(bits::ZigZagEncode(first_), out);
    out->append(body_);
    body_.clear();
    count_ = 0;
    first_ = last_ = 0;
}

template class DeltaBinaryPackedEncoder<int32_t>;
template class DeltaBinaryPackedEncoder<int64_t>;

Result<DeltaBinaryPackedDecoder> DeltaBinaryPackedDecoder::Open(std::string_view data) {
    DeltaBinaryPackedDecoder decoder(data);
    TARN_RETURN_IF_ERROR(decoder.ParseHeader());
    return decoder;
}

Status DeltaBinaryPackedDecoder::ParseHeader() {
    uint64_t first = 0;
    if (!bits::ReadUleb128(data_, &pos_, &block_size_) ||
        !bits::ReadUleb128(data_, &pos_, &miniblocks_) ||
        !bits::ReadUleb128(data_, &pos_, &total_) || !bits::ReadUleb128(data_, &pos_, &first)) {
        return Status::Corruption("DELTA_BINARY_PACKED header truncated or malformed" + At(pos_));
    }
    if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > kMaxBlockSize ||
        miniblocks_ == 0 || block_size_ % miniblocks_ != 0 ||
        (block_size_ / miniblocks_) % 32 != 0) {
        return Status::Corruption("DELTA_BINARY_PACKED header has block size " +
                                  std::to_string(block_size_) + " and " +
                                  std::to_string(miniblocks_) + " miniblocks");
    }
    miniblock_size_ = block_size_ / miniblocks_;
    // Every block takes at least its min delta and bit widths, so the count is bounded by input.
    const uint64_t blocks = total_ == 0 ? 0 : (total_ - 1 + block_size_ - 1) / block_size_;
    if (blocks > (data_.size() - pos_) / (1 + miniblocks_)) {
        return Status::Corruption("DELTA_BINARY_PACKED header claims " + std::to_string(total_) +
                                  " values but only " + std::to_string(data_.size() - pos_) +
                                  " bytes follow" + At(pos_));
    }
    left_ = total_;
    first_pending_ = total_ > 0;
    last_ = static_cast<uint64_t>(bits::ZigZagDecode(first));
    return Status::Ok();
}

Status DeltaBinaryPackedDecoder::NextBlock() {
    const size_t start = pos_;
    uint64_t zigzag = 0;
    if (!bits::ReadUleb128(data_, &pos_, &zigzag)) {
        return Status::Corruption("DELTA_BINARY_PACKED min delta truncated" + At(start));
    }
    if (miniblocks_ > data_.size() - pos_) {
        return Status::Corruption("DELTA_BINARY_PACKED bit widths truncated" + At(pos_));
    }
    min_delta_ = static_cast<uint64_t>(bits::ZigZagDecode(zigzag));
    widths_pos_ = pos_;
    pos_ += static_cast<size_t>(miniblocks_);
    miniblock_index_ = 0;
    in_block_ = true;
    return Status::Ok();
}

Status DeltaBinaryPackedDecoder::NextMiniblock() {
    if (!in_block_ || miniblock_index_ == miniblocks_) TARN_RETURN_IF_ERROR(NextBlock());
    const size_t width_pos = widths_pos_ + static_cast<size_t>(miniblock_index_++);
    const auto width = static_cast<uint8_t>(data_[width_pos]);
    if (width > 64) {
        return Status::Corruption("DELTA_BINARY_PACKED bit width " + std::to_string(width) +
                                  At(width_pos));
    }
    const uint64_t bytes = miniblock_size_ / 8 * width;
    if (bytes > data_.size() - pos_) {
        return Status::Corruption("DELTA_BINARY_PACKED miniblock of " + std::to_string(bytes) +
                                  " bytes runs past the end" + At(pos_));
    }
    width_ = width;
    packed_pos_ = pos_;
    pos_ += static_cast<size_t>(bytes);
    miniblock_left_ = miniblock_size_;
    return Status::Ok();
}

template <typename T>
Result<size_t> DeltaBinaryPackedDecoder::DecodeImpl(T* out, size_t n) {
    n = static_cast<size_t>(std::min<uint64_t>(n, left_));
    size_t done = 0;
    if (n > 0 && first_pending_) {
        out[done++] = static_cast<T>(last_);
        first_pending_ = false;
    }
    const auto* src = reinterpret_cast<const uint8_t*>(data_.data());
    while (done < n) {
        if (chunk_pos_ == kChunk) {
            if (miniblock_left_ == 0) TARN_RETURN_IF_ERROR(NextMiniblock());
            bits::UnpackerFor<uint64_t, 64>(width_)(src + packed_pos_, kChunk / 8, chunk_);
            packed_pos_ += static_cast<size_t>(width_) * (kChunk / 8);
            miniblock_left_ -= kChunk;
            chunk_pos_ = 0;
        }
        const size_t k = std::min<size_t>(n - done, static_cast<size_t>(kChunk - chunk_pos_));
        uint64_t last = last_;
        const uint64_t min_delta = min_delta_;
        const uint64_t* deltas = chunk_ + chunk_pos_;
        for (size_t i = 0; i < k; ++i) {
            last += min_delta + deltas[i];
            out[done + i] = static_cast<T>(last);
        }
        done += k;
        chunk_pos_ += static_cast<int>(k);
        last_ = last;
    }
    left_ -= n;
    return n;
}

Result<size_t> DeltaBinaryPackedDecoder::Decode(int64_t* out, size_t n) {
    return DecodeImpl(out, n);
}

Result<size_t> DeltaBinaryPackedDecoder::Decode(int32_t* out, size_t n) {
    return DecodeImpl(out, n);
}

}  // namespace tarn::format
