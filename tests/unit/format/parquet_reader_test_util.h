// Test helpers for the Parquet reader: a builder of Parquet files from hand-made pages (levels,
// encodings, page versions, codecs chosen by the test, so the reader is checked against
// hand-computed levels rather than against tarn's writer), value encoders, and a ReadAll that
// returns every row as JSON text while checking every batch with RecordBatch::Validate.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "columnar/columnar.h"
#include "format/compression.h"
#include "format/delta_binary_packed.h"
#include "format/parquet_metadata.h"
#include "format/parquet_reader.h"
#include "format/parquet_source.h"
#include "format/rle_bit_packing.h"

namespace tarn::format::testutil {

using R = FieldRepetitionType;

inline SchemaElement Leaf(std::string name, Type type, R rep,
                          std::optional<LogicalType> logical = std::nullopt) {
    SchemaElement e{.type = type, .repetition_type = rep, .name = std::move(name)};
    e.logical_type = logical;
    return e;
}

inline SchemaElement Group(std::string name, int32_t children, std::optional<R> rep,
                           std::optional<ConvertedType> converted = std::nullopt) {
    SchemaElement e{.repetition_type = rep, .name = std::move(name), .num_children = children};
    e.converted_type = converted;
    return e;
}

inline SchemaElement Root(int32_t children) { return Group("schema", children, std::nullopt); }

// ---- Value encodings
// -----------------------------------------------------------------------------

template <class T>
std::string Plain(const std::vector<T>& values) {
    std::string out(values.size() * sizeof(T), '\0');
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
}

inline std::string PlainBytes(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) {
        const auto n = static_cast<uint32_t>(v.size());
        out.append(reinterpret_cast<const char*>(&n), 4);
        out += v;
    }
    return out;
}

inline std::string PlainBools(const std::vector<bool>& values) {
    std::string out((values.size() + 7) / 8, '\0');
    for (size_t i = 0; i < values.size(); ++i) {
        if (values[i]) out[i / 8] = static_cast<char>(out[i / 8] | (1 << (i % 8)));
    }
    return out;
}

// RLE/bit-packed runs of `values` at `bit_width` (no length prefix).
inline std::string Runs(const std::vector<uint32_t>& values, int bit_width) {
    std::string out;
    RleBitPackedEncoder enc(bit_width, &out);
    for (uint32_t v : values) enc.Put(v);
    enc.Flush();
    return out;
}

// Dictionary indices as a data page holds them: bit width byte, then runs.
inline std::string Indices(const std::vector<uint32_t>& values, int bit_width) {
    return std::string(1, static_cast<char>(bit_width)) + Runs(values, bit_width);
}

template <class T>
std::string Delta(const std::vector<T>& values) {
    DeltaBinaryPackedEncoder<T> enc;
    for (T v : values) enc.Put(v);
    std::string out;
    enc.Finish(&out);
    return out;
}

inline std::string DeltaLength(const std::vector<std::string>& values) {
    std::vector<int32_t> lengths;
    std::string bytes;
    for (const std::string& v : values) {
        lengths.push_back(static_cast<int32_t>(v.size()));
        bytes += v;
    }
    return Delta(lengths) + bytes;
}

inline std::string DeltaBytes(const std::vector<std::string>& values) {
    std::vector<int32_t> prefix;
    std::vector<int32_t> suffix;
    std::string bytes;
    std::string prev;
    for (const std::string& v : values) {
        size_t p = 0;
        while (p < prev.size() && p < v.size() && prev[p] == v[p]) ++p;
        prefix.push_back(static_cast<int32_t>(p));
        suffix.push_back(static_cast<int32_t>(v.size() - p));
        bytes += v.substr(p);
        prev = v;
    }
    return Delta(prefix) + Delta(suffix) + bytes;
}

// BYTE_STREAM_SPLIT of n values of `width` bytes given side by side.
inline std::string Split(const std::string& plain, size_t width) {
    const size_t n = plain.size() / width;
    std::string out(plain.size(), '\0');
    for (size_t i = 0; i < n; ++i) {
        for (size_t b = 0; b < width; ++b) out[b * n + i] = plain[i * width + b];
    }
    return out;
}

// ---- Files
// ---------------------------------------------------------------------------------------

struct TestPage {
    std::vector<uint32_t> def;  // empty when the column has no definition levels
    std::vector<uint32_t> rep;  // empty when the column has no repetition levels
    std::string values;
    Encoding encoding = Encoding::kPlain;
    int version = 1;
    // Level entries; when unset, def.size() (or rep.size(), or the explicit value count).
    std::optional<int32_t> num_values;
};

struct TestChunk {
    std::optional<std::string> dictionary;  // PLAIN values
    int32_t dictionary_size = 0;
    std::vector<TestPage> pages;
    CompressionCodec codec = CompressionCodec::kUncompressed;
    std::optional<Statistics> statistics;
    std::optional<int64_t> num_values;  // default: the pages' level entries
};

struct TestFile {
    std::vector<SchemaElement> schema;
    std::vector<int64_t> rows;                    // per row group
    std::vector<std::vector<TestChunk>> groups;   // per row group, per leaf
    std::vector<std::vector<std::string>> paths;  // path_in_schema per leaf
    std::vector<Type> types;                      // physical type per leaf
    std::vector<int16_t> max_def;
    std::vector<int16_t> max_rep;
    std::optional<std::vector<ColumnOrder>> column_orders;
};

inline void AppendBigEndian32(uint32_t v, std::string* out) {
    for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

// kLz4 (deprecated, read only) is built as older Hadoop-based writers framed it: per block, the
// raw and the compressed size as big-endian u32s, then an LZ4 block.
inline std::string Compressed(CompressionCodec codec, const std::string& raw) {
    std::string out;
    if (codec == CompressionCodec::kLz4) {
        std::string block;
        EXPECT_TRUE(Compress(CompressionCodec::kLz4Raw, raw, &block).ok());
        AppendBigEndian32(static_cast<uint32_t>(raw.size()), &out);
        AppendBigEndian32(static_cast<uint32_t>(block.size()), &out);
        return out + block;
    }
    EXPECT_TRUE(Compress(codec, raw, &out).ok());
    return out;
}

inline std::string LengthPrefixed(const std::string& runs) {
    const auto n = static_cast<uint32_t>(runs.size());
    return std::string(reinterpret_cast<const char*>(&n), 4) + runs;
}

inline std::string BuildFile(const TestFile& f) {
    std::string out = "PAR1";
    FileMetaData md;
    md.version = 1;
    md.schema = f.schema;
    md.created_by = "tarn reader tests";
    md.column_orders = f.column_orders;
    for (size_t g = 0; g < f.groups.size(); ++g) {
        RowGroup rg;
        rg.num_rows = f.rows[g];
        md.num_rows += f.rows[g];
        for (size_t c = 0; c < f.groups[g].size(); ++c) {
            const TestChunk& chunk = f.groups[g][c];
            ColumnMetaData cm;
            cm.type = f.types[c];
            cm.path_in_schema = f.paths[c];
            cm.codec = chunk.codec;
            cm.statistics = chunk.statistics;
            const size_t start = out.size();
            int64_t values = 0;
            if (chunk.dictionary) {
                cm.dictionary_page_offset = static_cast<int64_t>(out.size());
                const std::string body = Compressed(chunk.codec, *chunk.dictionary);
                PageHeader h;
                h.type = PageType::kDictionaryPage;
                h.uncompressed_page_size = static_cast<int32_t>(chunk.dictionary->size());
                h.compressed_page_size = static_cast<int32_t>(body.size());
                h.dictionary_page_header =
                    DictionaryPageHeader{.num_values = chunk.dictionary_size};
                Write(h, &out);
                out += body;
            }
            cm.data_page_offset = static_cast<int64_t>(out.size());
            const int def_width = RleBitWidth(static_cast<uint32_t>(f.max_def[c]));
            const int rep_width = RleBitWidth(static_cast<uint32_t>(f.max_rep[c]));
            for (const TestPage& p : chunk.pages) {
                const int32_t n = p.num_values.value_or(
                    static_cast<int32_t>(!p.def.empty() ? p.def.size() : p.rep.size()));
                values += n;
                const std::string def = f.max_def[c] > 0 ? Runs(p.def, def_width) : "";
                const std::string rep = f.max_rep[c] > 0 ? Runs(p.rep, rep_width) : "";
                PageHeader h;
                if (p.version == 1) {
                    std::string raw;
                    if (f.max_rep[c] > 0) raw += LengthPrefixed(rep);
                    if (f.max_def[c] > 0) raw += LengthPrefixed(def);
                    raw += p.values;
                    const std::string body = Compressed(chunk.codec, raw);
                    h.type = PageType::kDataPage;
                    h.uncompressed_page_size = static_cast<int32_t>(raw.size());
                    h.compressed_page_size = static_cast<int32_t>(body.size());
                    h.data_page_header = DataPageHeader{.num_values = n, .encoding = p.encoding};
                    Write(h, &out);
                    out += body;
                } else {
                    const std::string body = Compressed(chunk.codec, p.values);
                    h.type = PageType::kDataPageV2;
                    h.uncompressed_page_size =
                        static_cast<int32_t>(rep.size() + def.size() + p.values.size());
                    h.compressed_page_size =
                        static_cast<int32_t>(rep.size() + def.size() + body.size());
                    DataPageHeaderV2 v2;
                    v2.num_values = n;
                    v2.num_rows = n;
                    v2.encoding = p.encoding;
                    v2.definition_levels_byte_length = static_cast<int32_t>(def.size());
                    v2.repetition_levels_byte_length = static_cast<int32_t>(rep.size());
                    h.data_page_header_v2 = v2;
                    Write(h, &out);
                    out += rep + def + body;
                }
            }
            cm.num_values = chunk.num_values.value_or(values);
            cm.total_compressed_size = static_cast<int64_t>(out.size() - start);
            cm.total_uncompressed_size = cm.total_compressed_size;
            cm.encodings = {Encoding::kPlain, Encoding::kRle};
            ColumnChunk cc;
            cc.meta_data = cm;
            rg.columns.push_back(cc);
            rg.total_byte_size += cm.total_compressed_size;
        }
        md.row_groups.push_back(rg);
    }
    std::string footer;
    Write(md, &footer);
    out += footer;
    const auto len = static_cast<uint32_t>(footer.size());
    out.append(reinterpret_cast<const char*>(&len), 4);
    out += "PAR1";
    return out;
}

// ---- Reading
// -------------------------------------------------------------------------------------

// Every row of the file as JSON (AppendRowJson), each batch validated; the reader's error when it
// fails.
inline Result<std::vector<std::string>> ReadAll(const std::string& bytes,
                                                ParquetReaderOptions options = {},
                                                std::unique_ptr<ParquetReader>* keep = nullptr) {
    options.validate_batches = true;
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader,
                          ParquetReader::Open(MakeMemorySource("test.parquet", bytes), options));
    std::vector<std::string> rows;
    columnar::RecordBatch batch = reader->NewBatch();
    while (true) {
        TARN_ASSIGN_OR_RETURN(const bool more, reader->Next(&batch));
        if (!more) break;
        Status valid = batch.Validate();
        if (!valid.ok()) return Status::Internal("invalid batch: " + valid.message());
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            std::string row;
            columnar::AppendRowJson(batch, r, &row);
            rows.push_back(std::move(row));
        }
    }
    if (keep != nullptr) *keep = std::move(reader);
    return rows;
}

}  // namespace tarn::format::testutil
