#include "format/parquet_rle_decoder.h"

#include <string>

#include "format/varint.h"

namespace tarn::format {

Status RleDecoder::NextRun(size_t wanted) {
    const std::string_view data(reinterpret_cast<const char*>(begin_),
                                static_cast<size_t>(end_ - begin_));
    uint64_t header = 0;
    size_t at = 0;
    do {  // an empty run is legal but useless; some writers emit one at the end of a stream
        at = static_cast<size_t>(pos_ - begin_);
        if (pos_ >= end_) {
            return Status::Corruption("RLE/bit-packed data ends at byte " + std::to_string(at) +
                                      " with " + std::to_string(wanted) + " more values expected");
        }
        size_t p = at;
        if (!bits::ReadUleb128(data, &p, &header, 5) || header > UINT32_MAX) {
            return Status::Corruption("RLE/bit-packed run header at byte " + std::to_string(at) +
                                      " is truncated or too long");
        }
        pos_ = begin_ + p;
    } while ((header >> 1) == 0);
    const uint64_t count = header >> 1;
    const auto bytes_left = static_cast<uint64_t>(end_ - pos_);
    if (header & 1) {
        rle_ = false;
        uint64_t values = count * 8;
        if (width_ > 0) {
            const uint64_t need = count * static_cast<uint64_t>(width_);
            if (need > bytes_left) values = bytes_left * 8 / static_cast<uint64_t>(width_);
            if (values == 0) {
                return Status::Corruption("bit-packed run at byte " + std::to_string(at) +
                                          " has no bytes");
            }
        }
        left_ = values;
        group_pos_ = 8;
        group_avail_ = 0;
        return Status::Ok();
    }
    const auto value_bytes = static_cast<size_t>((width_ + 7) / 8);
    if (value_bytes > bytes_left) {
        return Status::Corruption("RLE run value at byte " + std::to_string(at) +
                                  " runs past the end");
    }
    uint32_t v = 0;
    for (size_t i = 0; i < value_bytes; ++i) v |= static_cast<uint32_t>(pos_[i]) << (8 * i);
    pos_ += value_bytes;
    if (width_ < 32 && (v >> width_) != 0) {
        return Status::Corruption("RLE run value " + std::to_string(v) + " at byte " +
                                  std::to_string(at) + " exceeds bit width " +
                                  std::to_string(width_));
    }
    rle_ = true;
    value_ = v;
    left_ = count;
    return Status::Ok();
}

}  // namespace tarn::format
