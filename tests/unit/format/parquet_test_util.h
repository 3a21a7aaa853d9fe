// Test helpers for the Parquet writer: an in-memory ObjectWriter (with fault injection) and a
// minimal decoder of the pages tarn writes (PLAIN, RLE_DICTIONARY, DELTA_BINARY_PACKED values,
// RLE levels, data pages v1 and v2, every codec), so unit tests can check levels, values and page
// layout without the real reader. DuckDB checks the files independently (tests/e2e).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/compression.h"
#include "format/delta_binary_packed.h"
#include "format/parquet_metadata.h"
#include "format/parquet_schema.h"
#include "format/rle_bit_packing.h"
#include "storage/storage.h"

namespace tarn::format::testing {

class MemoryObjectWriter final : public storage::ObjectWriter {
public:
    explicit MemoryObjectWriter(std::string key = "test.parquet") : key_(std::move(key)) {}
    Status Append(std::string_view data) override {
        if (fail_after_ && data_.size() + data.size() > *fail_after_) {
            return Status::IOError("put " + key_ + ": injected failure");
        }
        data_.append(data);
        return Status::Ok();
    }
    Status Commit() override { return Status::Ok(); }
    uint64_t size() const override { return data_.size(); }
    const std::string& key() const override { return key_; }

    const std::string& data() const { return data_; }
    // Appends that would take the object past `bytes` fail.
    void FailAfter(size_t bytes) { fail_after_ = bytes; }

private:
    std::string key_;
    std::string data_;
    std::optional<size_t> fail_after_;
};

inline uint32_t Load32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// The footer of a complete file (checks both magics and the length).
inline FileMetaData ReadFooter(std::string_view file) {
    EXPECT_GE(file.size(), 12u);
    EXPECT_EQ(file.substr(0, 4), "PAR1");
    EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
    const uint32_t len = Load32(file.data() + file.size() - 8);
    auto md = ReadFileMetaData(file.substr(file.size() - 8 - len, len));
    EXPECT_TRUE(md.ok()) << md.status().ToString();
    return md.ok() ? *md : FileMetaData{};
}

struct DecodedPage {
    PageHeader header;
    size_t offset = 0;  // of the header in the file
    size_t num_levels = 0;
    size_t first_level = 0;  // index into DecodedChunk::def/rep
};

// One column chunk, decoded. Values are kept as their PLAIN bytes (little-endian numbers,
// big-endian FLBA, raw bytes of binary, one byte 0/1 for booleans).
struct DecodedChunk {
    std::vector<uint32_t> def;
    std::vector<uint32_t> rep;
    std::vector<std::string> values;
    std::vector<DecodedPage> pages;
    std::optional<PageHeader> dictionary;
    std::vector<std::string> dictionary_values;
};

inline std::vector<uint32_t> DecodeRle(std::string_view data, int width, size_t n) {
    std::vector<uint32_t> out(n);
    RleBitPackedDecoder dec(data, width);
    auto got = dec.Decode(out.data(), n);
    EXPECT_TRUE(got.ok() && *got == n)
        << (got.ok() ? std::to_string(*got) : got.status().ToString());
    return out;
}

// Splits PLAIN-encoded `data` into `n` values of `column`'s physical type.
inline std::vector<std::string> SplitPlain(std::string_view data, const ParquetColumn& column,
                                           size_t n) {
    std::vector<std::string> out;
    size_t pos = 0;
    for (size_t i = 0; i < n; ++i) {
        switch (column.physical_type) {
            case Type::kBoolean:
                out.push_back(std::string(1, static_cast<char>((data[i / 8] >> (i % 8)) & 1)));
                break;
            case Type::kInt32:
            case Type::kFloat:
                out.emplace_back(data.substr(pos, 4));
                pos += 4;
                break;
            case Type::kInt64:
            case Type::kDouble:
                out.emplace_back(data.substr(pos, 8));
                pos += 8;
                break;
            case Type::kFixedLenByteArray:
                out.emplace_back(data.substr(pos, static_cast<size_t>(column.type_length)));
                pos += static_cast<size_t>(column.type_length);
                break;
            case Type::kByteArray: {
                const uint32_t len = Load32(data.data() + pos);
                out.emplace_back(data.substr(pos + 4, len));
                pos += 4 + len;
                break;
            }
            default:
                ADD_FAILURE() << "unexpected physical type";
        }
    }
    if (column.physical_type != Type::kBoolean) {
        EXPECT_EQ(pos, data.size());
    }
    return out;
}

inline std::string Decompressed(CompressionCodec codec, std::string_view body, size_t size) {
    std::string out(size, '\0');
    const Status s = Decompress(codec, body, size, out.data());
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
}

inline DecodedChunk DecodeChunk(std::string_view file, const ColumnChunk& chunk,
                                const ParquetColumn& column) {
    DecodedChunk out;
    const ColumnMetaData& md = *chunk.meta_data;
    const int def_width = RleBitWidth(static_cast<uint32_t>(column.max_def_level));
    const int rep_width = RleBitWidth(static_cast<uint32_t>(column.max_rep_level));
    size_t pos = static_cast<size_t>(md.dictionary_page_offset.value_or(md.data_page_offset));
    const size_t end = pos + static_cast<size_t>(md.total_compressed_size);
    int64_t levels_seen = 0;
    while (pos < end) {
        size_t consumed = 0;
        auto header = ReadPageHeader(file.substr(pos, end - pos), &consumed);
        if (!header.ok()) {
            ADD_FAILURE() << header.status().ToString();
            return out;
        }
        const size_t body_pos = pos + consumed;
        const std::string_view body =
            file.substr(body_pos, static_cast<size_t>(header->compressed_page_size));
        const auto usize = static_cast<size_t>(header->uncompressed_page_size);
        if (header->type == PageType::kDictionaryPage) {
            EXPECT_TRUE(out.pages.empty()) << "the dictionary page comes first";
            EXPECT_EQ(static_cast<int64_t>(pos), md.dictionary_page_offset.value_or(-1));
            const std::string plain = Decompressed(md.codec, body, usize);
            out.dictionary = *header;
            out.dictionary_values = SplitPlain(
                plain, column, static_cast<size_t>(header->dictionary_page_header->num_values));
        } else {
            if (out.pages.empty()) {
                EXPECT_EQ(static_cast<int64_t>(pos), md.data_page_offset);
            }
            DecodedPage page{.header = *header, .offset = pos, .first_level = out.def.size()};
            std::string levels_rep;
            std::string levels_def;
            std::string values;
            Encoding encoding;
            size_t n;
            if (header->type == PageType::kDataPage) {
                n = static_cast<size_t>(header->data_page_header->num_values);
                encoding = header->data_page_header->encoding;
                const std::string plain = Decompressed(md.codec, body, usize);
                size_t p = 0;
                if (column.max_rep_level > 0) {
                    const uint32_t len = Load32(plain.data() + p);
                    levels_rep = plain.substr(p + 4, len);
                    p += 4 + len;
                }
                if (column.max_def_level > 0) {
                    const uint32_t len = Load32(plain.data() + p);
                    levels_def = plain.substr(p + 4, len);
                    p += 4 + len;
                }
                values = plain.substr(p);
            } else {
                const DataPageHeaderV2& v2 = *header->data_page_header_v2;
                n = static_cast<size_t>(v2.num_values);
                encoding = v2.encoding;
                const auto rl = static_cast<size_t>(v2.repetition_levels_byte_length);
                const auto dl = static_cast<size_t>(v2.definition_levels_byte_length);
                levels_rep = std::string(body.substr(0, rl));
                levels_def = std::string(body.substr(rl, dl));
                const std::string_view rest = body.substr(rl + dl);
                values = v2.is_compressed.value_or(true)
                             ? Decompressed(md.codec, rest, usize - rl - dl)
                             : std::string(rest);
            }
            page.num_levels = n;
            std::vector<uint32_t> def = column.max_def_level > 0
                                            ? DecodeRle(levels_def, def_width, n)
                                            : std::vector<uint32_t>(n, 0);
            std::vector<uint32_t> rep = column.max_rep_level > 0
                                            ? DecodeRle(levels_rep, rep_width, n)
                                            : std::vector<uint32_t>(n, 0);
            size_t nvalues = 0;
            for (uint32_t d : def) nvalues += d == static_cast<uint32_t>(column.max_def_level);
            if (encoding == Encoding::kPlain) {
                for (auto& v : SplitPlain(values, column, nvalues)) out.values.push_back(v);
            } else if (encoding == Encoding::kRleDictionary) {
                EXPECT_TRUE(out.dictionary.has_value());
                const int width = static_cast<uint8_t>(values[0]);
                for (uint32_t idx : DecodeRle(std::string_view(values).substr(1), width, nvalues)) {
                    EXPECT_LT(idx, out.dictionary_values.size());
                    out.values.push_back(out.dictionary_values.at(idx));
                }
            } else if (encoding == Encoding::kDeltaBinaryPacked) {
                auto dec = DeltaBinaryPackedDecoder::Open(values);
                EXPECT_TRUE(dec.ok());
                EXPECT_EQ(dec->total_values(), nvalues);
                for (size_t i = 0; i < nvalues; ++i) {
                    if (column.physical_type == Type::kInt32) {
                        int32_t v = 0;
                        EXPECT_TRUE(dec->Decode(&v, 1).ok());
                        out.values.emplace_back(reinterpret_cast<const char*>(&v), 4);
                    } else {
                        int64_t v = 0;
                        EXPECT_TRUE(dec->Decode(&v, 1).ok());
                        out.values.emplace_back(reinterpret_cast<const char*>(&v), 8);
                    }
                }
            } else {
                ADD_FAILURE() << "unexpected encoding " << static_cast<int>(encoding);
            }
            out.def.insert(out.def.end(), def.begin(), def.end());
            out.rep.insert(out.rep.end(), rep.begin(), rep.end());
            levels_seen += static_cast<int64_t>(n);
            out.pages.push_back(std::move(page));
        }
        pos = body_pos + static_cast<size_t>(header->compressed_page_size);
    }
    EXPECT_EQ(pos, end);
    EXPECT_EQ(levels_seen, md.num_values);
    return out;
}

template <class T>
std::string Bytes(T v) {
    return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

}  // namespace tarn::format::testing
