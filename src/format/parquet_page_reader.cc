#include "format/parquet_page_reader.h"

#include <snappy.h>
#include <zstd.h>

#include <cstring>
#include <utility>

#include "format/rle_bit_packing.h"

namespace tarn::format {
namespace {

uint32_t LoadLe32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// OK when `compressed` bytes of `codec` may decode to `declared` bytes; checked before the
// buffer for them is allocated, so a header that lies cannot make the reader allocate much more
// than the codec could ever produce from the page's bytes.
Status CheckExpansion(CompressionCodec codec, std::string_view compressed, uint64_t declared) {
    const uint64_t n = compressed.size();
    auto too_large = [&](const std::string& why) {
        return Status::Corruption("page declares " + std::to_string(declared) +
                                  " uncompressed bytes from " + std::to_string(n) + " " +
                                  std::string(CompressionCodecName(codec)) + " bytes" + why);
    };
    switch (codec) {
        case CompressionCodec::kUncompressed:
            if (declared != n) return too_large(" (sizes of an uncompressed page must agree)");
            return Status::Ok();
        case CompressionCodec::kSnappy: {
            size_t stated = 0;
            if (!snappy::GetUncompressedLength(compressed.data(), compressed.size(), &stated)) {
                return too_large(" (bad Snappy length preamble)");
            }
            if (stated != declared) {
                return too_large(" (the Snappy block states " + std::to_string(stated) + ")");
            }
            return Status::Ok();
        }
        case CompressionCodec::kZstd: {
            // The first frame's header states its size when the writer knew it (one-shot
            // compressors do); several frames are allowed, so it bounds the page from below only.
            const unsigned long long stated =
                ZSTD_getFrameContentSize(compressed.data(), compressed.size());
            if (stated == ZSTD_CONTENTSIZE_ERROR) return too_large(" (not a ZSTD frame)");
            if (stated != ZSTD_CONTENTSIZE_UNKNOWN && stated > declared) {
                return too_large(" (the ZSTD frame states " + std::to_string(stated) + ")");
            }
            if (stated != ZSTD_CONTENTSIZE_UNKNOWN && stated == declared) return Status::Ok();
            // One 3-byte block header and one byte can stand for a 128 KiB block.
            if (declared > n * 43691 + (128 << 10)) return too_large("");
            return Status::Ok();
        }
        case CompressionCodec::kGzip:
            if (declared > n * 1032 + 1024) return too_large("");  // deflate's limit ~1032:1
            return Status::Ok();
        case CompressionCodec::kLz4:
        case CompressionCodec::kLz4Raw:
            if (declared > n * 255 + 1024) return too_large("");  // LZ4's limit ~255:1
            return Status::Ok();
        case CompressionCodec::kBrotli:
            // Brotli has no ratio bound worth checking: one copy command of a few bytes can
            // stand for 16 MiB, and real pages of one repeated value get close to that. Only the
            // reader's 1 GiB page limit applies.
            return Status::Ok();
        default:
            return Status::Ok();  // Decompress reports the codec as unsupported
    }
}

}  // namespace

void PageReader::Reset(std::string_view chunk, CompressionCodec codec, int16_t max_def_level,
                       int16_t max_rep_level, std::string context) {
    chunk_ = chunk;
    pos_ = 0;
    codec_ = codec;
    max_def_ = max_def_level;
    max_rep_ = max_rep_level;
    context_ = std::move(context);
    page_index_ = 0;
}

Status PageReader::Fail(const std::string& what) const {
    return Status::Corruption(context_ + ": page " + std::to_string(page_index_) + " (at byte " +
                              std::to_string(pos_) + " of the column chunk): " + what);
}

Result<std::string_view> PageReader::Decompress(std::string_view in, size_t uncompressed_size) {
    if (codec_ == CompressionCodec::kUncompressed) {
        if (in.size() != uncompressed_size) {
            return Fail("uncompressed page of " + std::to_string(in.size()) + " bytes declares " +
                        std::to_string(uncompressed_size));
        }
        return in;
    }
    Status s = CheckExpansion(codec_, in, uncompressed_size);
    if (!s.ok()) return Fail(s.message());
    buffer_.Resize(uncompressed_size);
    s = format::Decompress(codec_, in, uncompressed_size,
                           reinterpret_cast<char*>(buffer_.mutable_data()));
    if (!s.ok()) {
        if (s.code() == StatusCode::kCorruption) return Fail(s.message());
        return Status(s.code(), context_ + ": " + s.message());
    }
    return std::string_view(reinterpret_cast<const char*>(buffer_.data()), uncompressed_size);
}

Result<std::string_view> PageReader::TakeV1Levels(std::string_view* body, Encoding encoding,
                                                  int16_t max_level, size_t num_values,
                                                  std::string* recoded, const char* what) {
    if (max_level == 0) return std::string_view();
    if (encoding == Encoding::kRle) {
        if (body->size() < 4) return Fail(std::string(what) + " levels: no length prefix");
        const uint32_t len = LoadLe32(body->data());
        if (len > body->size() - 4) {
            return Fail(std::string(what) + " levels of " + std::to_string(len) +
                        " bytes run past the page (" + std::to_string(body->size() - 4) + " left)");
        }
        const std::string_view levels = body->substr(4, len);
        body->remove_prefix(4 + len);
        return levels;
    }
    if (encoding == Encoding::kBitPacked) {
        // MSB-first packing of num_values levels; re-encoded as LSB-first RLE/bit-packed runs.
        const int width = RleBitWidth(static_cast<uint32_t>(max_level));
        const uint64_t bits = static_cast<uint64_t>(num_values) * static_cast<uint64_t>(width);
        const uint64_t bytes = (bits + 7) / 8;
        if (bytes > body->size()) {
            return Fail(std::string(what) + " levels (BIT_PACKED) need " + std::to_string(bytes) +
                        " bytes, " + std::to_string(body->size()) + " left");
        }
        const auto* p = reinterpret_cast<const uint8_t*>(body->data());
        recoded->clear();
        RleBitPackedEncoder enc(width, recoded);
        uint64_t bit = 0;
        for (size_t i = 0; i < num_values; ++i) {
            uint32_t v = 0;
            for (int b = 0; b < width; ++b, ++bit) {
                v = (v << 1) | ((p[bit >> 3] >> (7 - (bit & 7))) & 1u);
            }
            enc.Put(v);
        }
        enc.Flush();
        body->remove_prefix(static_cast<size_t>(bytes));
        return std::string_view(*recoded);
    }
    return Fail(std::string(what) + " levels use encoding " +
                std::to_string(static_cast<int32_t>(encoding)) + " (RLE or BIT_PACKED expected)");
}

Status PageReader::SplitLevels(std::string_view* body, size_t num_values, ParquetPage* page,
                               const DataPageHeader& h) {
    TARN_ASSIGN_OR_RETURN(page->rep_levels,
                          TakeV1Levels(body, h.repetition_level_encoding, max_rep_, num_values,
                                       &recoded_rep_, "repetition"));
    TARN_ASSIGN_OR_RETURN(page->def_levels,
                          TakeV1Levels(body, h.definition_level_encoding, max_def_, num_values,
                                       &recoded_def_, "definition"));
    return Status::Ok();
}

Result<bool> PageReader::Next(ParquetPage* page) {
    while (pos_ < chunk_.size()) {
        size_t header_len = 0;
        Result<PageHeader> header = ReadPageHeader(chunk_.substr(pos_), &header_len);
        if (!header.ok()) {
            if (header.status().code() == StatusCode::kCorruption) {
                return Fail("bad page header: " + header.status().message());
            }
            return Status(header.status().code(),
                          context_ + ": page header: " + header.status().message());
        }
        const PageHeader& h = *header;
        if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
            return Fail("negative page size");
        }
        const auto compressed = static_cast<size_t>(h.compressed_page_size);
        const auto uncompressed = static_cast<size_t>(h.uncompressed_page_size);
        const size_t body_start = pos_ + header_len;
        if (compressed > chunk_.size() - body_start) {
            return Fail("page of " + std::to_string(compressed) + " bytes runs past the end of " +
                        "the column chunk (" + std::to_string(chunk_.size() - body_start) +
                        " bytes left)");
        }
        if (uncompressed > kMaxPageBytes) {
            return Fail("page declares " + std::to_string(uncompressed) +
                        " uncompressed bytes (more than the 1 GiB limit)");
        }
        const std::string_view raw = chunk_.substr(body_start, compressed);
        *page = ParquetPage{};
        page->type = h.type;
        switch (h.type) {
            case PageType::kDictionaryPage: {
                if (!h.dictionary_page_header) return Fail("dictionary page without its header");
                const DictionaryPageHeader& d = *h.dictionary_page_header;
                if (d.num_values < 0) return Fail("negative dictionary size");
                page->num_values = static_cast<size_t>(d.num_values);
                page->encoding = d.encoding;
                TARN_ASSIGN_OR_RETURN(page->values, Decompress(raw, uncompressed));
                break;
            }
            case PageType::kDataPage: {
                if (!h.data_page_header) return Fail("data page without its header");
                const DataPageHeader& d = *h.data_page_header;
                if (d.num_values < 0) return Fail("negative value count");
                page->num_values = static_cast<size_t>(d.num_values);
                page->encoding = d.encoding;
                TARN_ASSIGN_OR_RETURN(std::string_view body, Decompress(raw, uncompressed));
                TARN_RETURN_IF_ERROR(SplitLevels(&body, page->num_values, page, d));
                page->values = body;
                break;
            }
            case PageType::kDataPageV2: {
                if (!h.data_page_header_v2) return Fail("data page v2 without its header");
                const DataPageHeaderV2& d = *h.data_page_header_v2;
                if (d.num_values < 0) return Fail("negative value count");
                if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0) {
                    return Fail("negative level lengths");
                }
                const auto rep_len = static_cast<size_t>(d.repetition_levels_byte_length);
                const auto def_len = static_cast<size_t>(d.definition_levels_byte_length);
                if (rep_len > compressed || def_len > compressed - rep_len ||
                    rep_len + def_len > uncompressed) {
                    return Fail("level lengths " + std::to_string(rep_len) + " + " +
                                std::to_string(def_len) + " exceed the page (" +
                                std::to_string(compressed) + " bytes)");
                }
                page->num_values = static_cast<size_t>(d.num_values);
                page->encoding = d.encoding;
                if (max_rep_ > 0) page->rep_levels = raw.substr(0, rep_len);
                if (max_def_ > 0) page->def_levels = raw.substr(rep_len, def_len);
                const std::string_view values = raw.substr(rep_len + def_len);
                const size_t values_size = uncompressed - rep_len - def_len;
                if (d.is_compressed.value_or(true)) {
                    TARN_ASSIGN_OR_RETURN(page->values, Decompress(values, values_size));
                } else {
                    if (values.size() != values_size) {
                        return Fail("uncompressed values of " + std::to_string(values.size()) +
                                    " bytes, header says " + std::to_string(values_size));
                    }
                    page->values = values;
                }
                break;
            }
            default:  // index pages and unknown kinds
                pos_ = body_start + compressed;
                ++page_index_;
                continue;
        }
        pos_ = body_start + compressed;
        ++page_index_;
        return true;
    }
    return false;
}

}  // namespace tarn::format
