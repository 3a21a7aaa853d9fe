// ParquetWriter: file layout, values and levels read back with the test decoder, encodings and
// the dictionary fallback, statistics and their orders, page and row-group splitting, errors.
#include "format/parquet_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "columnar/record_batch.h"
#include "parquet_test_util.h"

namespace tarn::format {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::int128_t;
using columnar::RecordBatch;
using columnar::Schema;
using testing::Bytes;
using testing::DecodeChunk;
using testing::DecodedChunk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MemoryObjectWriter;
using testing::ReadFooter;

std::shared_ptr<const Schema> MakeSchema(std::vector<Field> fields) {
    auto s = Schema::Make(std::move(fields));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::make_shared<const Schema>(std::move(*s));
}

struct Written {
    std::string file;
    FileMetaData footer;       // as Close returned it
    FileMetaData read_footer;  // as read back from the bytes
    ParquetSchema pschema;
};

// Writes `batches` (built by the caller on `schema`) and closes.
Written WriteAll(const std::shared_ptr<const Schema>& schema, std::vector<RecordBatch>& batches,
                 ParquetWriterOptions options = {}) {
    MemoryObjectWriter out;
    auto writer = ParquetWriter::Open(&out, schema, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    Written w;
    if (!writer.ok()) return w;
    for (const RecordBatch& b : batches) {
        EXPECT_TRUE(b.Validate().ok()) << b.Validate().ToString();
        const Status s = (*writer)->Write(b);
        EXPECT_TRUE(s.ok()) << s.ToString();
    }
    auto md = (*writer)->Close();
    EXPECT_TRUE(md.ok()) << md.status().ToString();
    if (md.ok()) w.footer = *md;
    w.file = out.data();
    w.read_footer = ReadFooter(w.file);
    w.pschema = (*writer)->parquet_schema();
    return w;
}

DecodedChunk Column(const Written& w, size_t row_group, size_t column) {
    return DecodeChunk(w.file, w.read_footer.row_groups.at(row_group).columns.at(column),
                       w.pschema.columns.at(column));
}

// Every row group's chunk of `column`, concatenated.
DecodedChunk WholeColumn(const Written& w, size_t column) {
    DecodedChunk all;
    for (size_t rg = 0; rg < w.read_footer.row_groups.size(); ++rg) {
        DecodedChunk c = Column(w, rg, column);
        all.def.insert(all.def.end(), c.def.begin(), c.def.end());
        all.rep.insert(all.rep.end(), c.rep.begin(), c.rep.end());
        all.values.insert(all.values.end(), c.values.begin(), c.values.end());
        for (auto& p : c.pages) all.pages.push_back(p);
    }
    return all;
}

const ColumnMetaData& Meta(const Written& w, size_t rg, size_t col) {
    return *w.read_footer.row_groups.at(rg).columns.at(col).meta_data;
}

TEST(ParquetWriterTest, FileLayoutAndFooter) {
    auto schema =
        MakeSchema({Field{"id", DataType::Int64(), false, 1}, Field{"name", DataType::Varchar()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    for (int64_t i = 0; i < 10; ++i) {
        b.column(0).Append<int64_t>(i);
        if (i % 3 == 0) {
            b.column(1).AppendNull();
        } else {
            b.column(1).AppendString("n" + std::to_string(i % 4));
        }
    }
    b.set_num_rows(10);
    ParquetWriterOptions o;
    o.key_value_metadata = {KeyValue{.key = "k", .value = "v"}};
    const Written w = WriteAll(schema, batches, o);
    EXPECT_EQ(w.footer, w.read_footer);
    const FileMetaData& md = w.read_footer;
    EXPECT_EQ(md.num_rows, 10);
    EXPECT_EQ(md.created_by, DefaultCreatedBy());
    EXPECT_THAT(*md.created_by, HasSubstr("tarn version "));
    ASSERT_TRUE(md.key_value_metadata.has_value());
    EXPECT_EQ(md.key_value_metadata->at(0).key, "k");
    ASSERT_TRUE(md.column_orders.has_value());
    EXPECT_EQ(md.column_orders->size(), 2u);
    EXPECT_EQ(md.schema, w.pschema.elements);
    ASSERT_EQ(md.row_groups.size(), 1u);
    const RowGroup& rg = md.row_groups[0];
    EXPECT_EQ(rg.num_rows, 10);
    EXPECT_EQ(rg.file_offset, 4);
    EXPECT_EQ(rg.ordinal, 0);
    int64_t uncompressed = 0;
    int64_t compressed = 0;
    for (const ColumnChunk& c : rg.columns) {
        EXPECT_EQ(c.file_offset, 0);
        uncompressed += c.meta_data->total_uncompressed_size;
        compressed += c.meta_data->total_compressed_size;
    }
    EXPECT_EQ(rg.total_byte_size, uncompressed);
    EXPECT_EQ(rg.total_compressed_size, compressed);
    // Column chunks are contiguous, in schema order, right after the magic.
    const ColumnMetaData& id = Meta(w, 0, 0);
    const ColumnMetaData& name = Meta(w, 0, 1);
    EXPECT_EQ(id.path_in_schema, std::vector<std::string>{"id"});
    EXPECT_EQ(id.codec, CompressionCodec::kSnappy);
    EXPECT_EQ(id.num_values, 10);
    EXPECT_EQ(id.data_page_offset, 4);
    EXPECT_EQ(name.dictionary_page_offset.value_or(name.data_page_offset),
              4 + id.total_compressed_size);

    const DecodedChunk ids = Column(w, 0, 0);
    ASSERT_EQ(ids.values.size(), 10u);
    for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(ids.values[i], Bytes<int64_t>(i));
    const DecodedChunk names = Column(w, 0, 1);
    EXPECT_THAT(names.def, ElementsAre(0, 1, 1, 0, 1, 1, 0, 1, 1, 0));
    EXPECT_THAT(names.values, ElementsAre("n1", "n2", "n0", "n1", "n3", "n0"));
    EXPECT_EQ(name.statistics->null_count, 4);
    EXPECT_EQ(name.statistics->min_value, "n0");
    EXPECT_EQ(name.statistics->max_value, "n3");
    EXPECT_FALSE(name.statistics->min.has_value()) << "no deprecated min for BYTE_ARRAY";
    EXPECT_EQ(id.statistics->min_value, Bytes<int64_t>(0));
    EXPECT_EQ(id.statistics->max_value, Bytes<int64_t>(9));
    EXPECT_EQ(id.statistics->min, Bytes<int64_t>(0)) << "deprecated min where signed agrees";
    EXPECT_EQ(id.statistics->null_count, 0);
}

TEST(ParquetWriterTest, EmptyFileHasNoRowGroups) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);  // zero rows
    const Written w = WriteAll(schema, batches);
    EXPECT_EQ(w.read_footer.num_rows, 0);
    EXPECT_TRUE(w.read_footer.row_groups.empty());
    EXPECT_EQ(w.read_footer.schema.size(), 2u);
}

TEST(ParquetWriterTest, EveryCodecAndPageVersionRoundTrips) {
    auto schema = MakeSchema({
        Field{"b", DataType::Boolean()},
        Field{"i8", DataType::Int8()},
        Field{"d", DataType::Double()},
        Field{"dec", DataType::Decimal(38, 4)},
        Field{"s", DataType::Varchar()},
        Field{"l", DataType::List(DataType::Int64())},
    });
    std::vector<RecordBatch> batches;
    for (int k = 0; k < 3; ++k) {
        batches.emplace_back(schema);
        RecordBatch& b = batches.back();
        for (int i = 0; i < 500; ++i) {
            const int r = k * 500 + i;
            if (r % 7 == 0) {
                for (size_t c = 0; c < 6; ++c) b.column(c).AppendNull();
                continue;
            }
            b.column(0).Append<uint8_t>(r % 3 == 0);
            b.column(1).Append<int8_t>(static_cast<int8_t>(r % 256 - 128));
            b.column(2).Append<double>(r * 0.5);
            b.column(3).Append<int128_t>(static_cast<int128_t>(r - 700) * 1000000007);
            b.column(4).AppendString("v" + std::to_string(r % 50));
            for (int e = 0; e < r % 4; ++e) b.column(5).child(0).Append<int64_t>(r * 10 + e);
            b.column(5).AppendListEnd();
        }
        b.set_num_rows(500);
    }
    std::vector<std::vector<std::string>> expected(6);
    for (const RecordBatch& b : batches) {
        for (size_t r = 0; r < b.num_rows(); ++r) {
            if (b.column(0).IsNull(r)) continue;
            expected[0].push_back(std::string(1, static_cast<char>(b.column(0).Value<uint8_t>(r))));
            expected[1].push_back(Bytes<int32_t>(b.column(1).Value<int8_t>(r)));
            expected[2].push_back(Bytes<double>(b.column(2).Value<double>(r)));
            const int128_t v = b.column(3).Value<int128_t>(r);
            std::string be;
            for (int i = 15; i >= 0; --i) be.push_back(static_cast<char>(v >> (8 * i)));
            expected[3].push_back(be);
            expected[4].emplace_back(b.column(4).GetString(r));
        }
    }
    const CompressionCodec codecs[] = {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                       CompressionCodec::kGzip, CompressionCodec::kZstd,
                                       CompressionCodec::kLz4Raw, CompressionCodec::kBrotli};
    for (CompressionCodec codec : codecs) {
        for (int version : {1, 2}) {
            SCOPED_TRACE(std::string(CompressionCodecName(codec)) + " v" + std::to_string(version));
            ParquetWriterOptions o;
            o.codec = codec;
            o.data_page_version = version;
            o.data_page_bytes = 2000;  // several pages per chunk
            const Written w = WriteAll(schema, batches, o);
            for (size_t c = 0; c < 5; ++c) {
                const DecodedChunk d = Column(w, 0, c);
                EXPECT_EQ(d.values, expected[c]) << "column " << c;
                EXPECT_GT(d.pages.size(), c == 0 ? 0u : 1u) << "column " << c;
                for (const auto& p : d.pages) {
                    EXPECT_EQ(p.header.type,
                              version == 1 ? PageType::kDataPage : PageType::kDataPageV2);
                }
            }
            const DecodedChunk l = Column(w, 0, 5);
            size_t rows = 0;
            for (uint32_t r : l.rep) rows += r == 0;
            EXPECT_EQ(rows, 1500u);
            if (version == 2) {
                // v2 pages state their rows and nulls, and start at row boundaries.
                for (const auto& p : l.pages) {
                    const DataPageHeaderV2& h = *p.header.data_page_header_v2;
                    EXPECT_EQ(l.rep[p.first_level], 0u);
                    size_t page_rows = 0;
                    size_t values = 0;
                    for (size_t i = 0; i < p.num_levels; ++i) {
                        page_rows += l.rep[p.first_level + i] == 0;
                        values += l.def[p.first_level + i] == 3;
                    }
                    EXPECT_EQ(static_cast<size_t>(h.num_rows), page_rows);
                    EXPECT_EQ(static_cast<size_t>(h.num_values - h.num_nulls), values);
                }
            }
        }
    }
}

TEST(ParquetWriterTest, DictionaryThenFallbackToPlain) {
    auto schema =
        MakeSchema({Field{"s", DataType::Varchar(), false}, Field{"i", DataType::Int64()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    const size_t n = 6000;
    for (size_t r = 0; r < n; ++r) {
        // Few distinct values at first (the sample chooses the dictionary), then all distinct.
        const size_t key = r < 2000 ? r % 10 : r;
        b.column(0).AppendString("value-" + std::to_string(key));
        b.column(1).Append<int64_t>(static_cast<int64_t>(r < 2000 ? (r % 10) * 1000003 : r * 7919));
    }
    b.set_num_rows(n);
    ParquetWriterOptions o;
    o.data_page_max_rows = 1000;
    o.dictionary_page_limit = 4000;
    o.delta = false;
    const Written w = WriteAll(schema, batches, o);
    for (size_t c = 0; c < 2; ++c) {
        SCOPED_TRACE(c);
        const ColumnMetaData& md = Meta(w, 0, c);
        const DecodedChunk d = Column(w, 0, c);
        ASSERT_TRUE(d.dictionary.has_value());
        EXPECT_EQ(md.dictionary_page_offset,
                  4 + (c == 0 ? 0 : Meta(w, 0, 0).total_compressed_size));
        EXPECT_EQ(d.dictionary->dictionary_page_header->encoding, Encoding::kPlain);
        // Dictionary pages first, then PLAIN ones; never back.
        bool plain = false;
        int dict_pages = 0;
        int plain_pages = 0;
        for (const auto& p : d.pages) {
            const Encoding e = p.header.data_page_header->encoding;
            if (e == Encoding::kPlain) {
                plain = true;
                ++plain_pages;
            } else {
                EXPECT_EQ(e, Encoding::kRleDictionary);
                EXPECT_FALSE(plain) << "a dictionary page after the fallback";
                ++dict_pages;
            }
        }
        EXPECT_GE(dict_pages, 2);
        EXPECT_GE(plain_pages, 2);
        ASSERT_TRUE(md.encoding_stats.has_value());
        EXPECT_THAT(
            *md.encoding_stats,
            ElementsAre(
                PageEncodingStats{PageType::kDictionaryPage, Encoding::kPlain, 1},
                PageEncodingStats{PageType::kDataPage, Encoding::kPlain, plain_pages},
                PageEncodingStats{PageType::kDataPage, Encoding::kRleDictionary, dict_pages}));
        EXPECT_EQ(d.values.size(), n);
    }
    const DecodedChunk s = Column(w, 0, 0);
    for (size_t r = 0; r < n; ++r) {
        ASSERT_EQ(s.values[r], "value-" + std::to_string(r < 2000 ? r % 10 : r)) << r;
    }
    EXPECT_THAT(Meta(w, 0, 0).encodings, ElementsAre(Encoding::kPlain, Encoding::kRleDictionary));
    EXPECT_THAT(Meta(w, 0, 1).encodings,
                ElementsAre(Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary));
}

TEST(ParquetWriterTest, EncodingChosenPerChunkFromTheFirstPage) {
    auto schema = MakeSchema({
        Field{"seq", DataType::Int64(), false},     // increasing: delta
        Field{"low", DataType::Int32(), false},     // 3 values: dictionary
        Field{"rand", DataType::Int64(), false},    // random 64-bit: plain
        Field{"uniq", DataType::Varchar(), false},  // distinct strings: plain
        Field{"ts", DataType::Timestamp(), false},  // microsecond clock: delta
        Field{"day", DataType::Date(), false},      // dates: dictionary
    });
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    uint64_t x = 12345;
    for (int r = 0; r < 5000; ++r) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        b.column(0).Append<int64_t>(1000000 + r);
        b.column(1).Append<int32_t>((r * 7) % 3);
        b.column(2).Append<int64_t>(static_cast<int64_t>(x));
        b.column(3).AppendString("id-" + std::to_string(x));
        b.column(4).Append<int64_t>(1767225600000000 + r * 1013 + static_cast<int64_t>(x % 1000));
        b.column(5).Append<int32_t>(20000 + r / 1000);
    }
    b.set_num_rows(5000);
    const Written w = WriteAll(schema, batches);
    auto data_encodings = [&](size_t c) {
        std::vector<Encoding> e;
        for (const auto& s : *Meta(w, 0, c).encoding_stats) {
            if (s.page_type != PageType::kDictionaryPage) e.push_back(s.encoding);
        }
        return e;
    };
    EXPECT_THAT(data_encodings(0), ElementsAre(Encoding::kDeltaBinaryPacked));
    EXPECT_THAT(data_encodings(1), ElementsAre(Encoding::kRleDictionary));
    EXPECT_THAT(data_encodings(2), ElementsAre(Encoding::kPlain));
    EXPECT_THAT(data_encodings(3), ElementsAre(Encoding::kPlain));
    EXPECT_THAT(data_encodings(4), ElementsAre(Encoding::kDeltaBinaryPacked));
    EXPECT_THAT(data_encodings(5), ElementsAre(Encoding::kRleDictionary));
    EXPECT_FALSE(Meta(w, 0, 0).dictionary_page_offset.has_value());
    EXPECT_FALSE(Meta(w, 0, 3).dictionary_page_offset.has_value());
    for (size_t c = 0; c < 6; ++c) {
        const DecodedChunk d = Column(w, 0, c);
        ASSERT_EQ(d.values.size(), 5000u);
        for (size_t r = 0; r < 5000; r += 97) {
            std::string expected;
            const ColumnVector& v = b.column(c);
            switch (c) {
                case 1:
                    expected = Bytes<int32_t>(v.Value<int32_t>(r));
                    break;
                case 3:
                    expected = std::string(v.GetString(r));
                    break;
                case 5:
                    expected = Bytes<int32_t>(v.Value<int32_t>(r));
                    break;
                default:
                    expected = Bytes<int64_t>(v.Value<int64_t>(r));
                    break;
            }
            EXPECT_EQ(d.values[r], expected) << c << " row " << r;
        }
    }
    // With both off, everything is PLAIN.
    ParquetWriterOptions o;
    o.dictionary = false;
    o.delta = false;
    const Written p = WriteAll(schema, batches, o);
    for (size_t c = 0; c < 6; ++c) {
        for (const auto& s : *p.read_footer.row_groups[0].columns[c].meta_data->encoding_stats) {
            EXPECT_EQ(s.encoding, Encoding::kPlain);
        }
    }
}

TEST(ParquetWriterTest, StatisticsOrders) {
    auto schema = MakeSchema({
        Field{"s", DataType::Varchar()},
        Field{"bin", DataType::Varbinary()},
        Field{"d9", DataType::Decimal(9, 2)},
        Field{"d18", DataType::Decimal(18, 2)},
        Field{"d38", DataType::Decimal(38, 2)},
        Field{"f", DataType::Float()},
        Field{"dbl", DataType::Double()},
        Field{"allnull", DataType::Int32()},
        Field{"nan", DataType::Double()},
        Field{"zero", DataType::Double()},
        Field{"b", DataType::Boolean()},
        Field{"i8", DataType::Int8()},
    });
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Row 0
    b.column(0).AppendString("\xc3\xa9t\xc3\xa9");  // "été": 0xC3 sorts after ASCII
    b.column(1).AppendString(std::string("\x80\x00", 2));
    b.column(2).Append<int64_t>(-5);
    b.column(3).Append<int64_t>(-123456789012345678);
    b.column(4).Append<int128_t>(-(static_cast<int128_t>(1) << 100));
    b.column(5).Append<float>(std::numeric_limits<float>::quiet_NaN());
    b.column(6).Append<double>(-std::numeric_limits<double>::infinity());
    b.column(7).AppendNull();
    b.column(8).Append<double>(nan);
    b.column(9).Append<double>(0.0);
    b.column(10).Append<uint8_t>(1);
    b.column(11).Append<int8_t>(-128);
    // Row 1
    b.column(0).AppendString("zebra");
    b.column(1).AppendString(std::string("\x7f\xff", 2));
    b.column(2).Append<int64_t>(3);
    b.column(3).Append<int64_t>(5);
    b.column(4).Append<int128_t>(7);
    b.column(5).Append<float>(-1.5f);
    b.column(6).Append<double>(nan);
    b.column(7).AppendNull();
    b.column(8).AppendNull();
    b.column(9).Append<double>(-0.0);
    b.column(10).Append<uint8_t>(1);
    b.column(11).Append<int8_t>(127);
    // Row 2
    b.column(0).AppendNull();
    b.column(1).AppendString("");
    b.column(2).Append<int64_t>(-999999999);
    b.column(3).AppendNull();
    b.column(4).Append<int128_t>(-1);
    b.column(5).Append<float>(2.25f);
    b.column(6).Append<double>(1e300);
    b.column(7).AppendNull();
    b.column(8).Append<double>(nan);
    b.column(9).Append<double>(0.0);
    b.column(10).AppendNull();
    b.column(11).Append<int8_t>(0);
    b.set_num_rows(3);
    const Written w = WriteAll(schema, batches);
    auto st = [&](size_t c) { return *Meta(w, 0, c).statistics; };

    EXPECT_EQ(st(0).min_value, "zebra");
    EXPECT_EQ(st(0).max_value, "\xc3\xa9t\xc3\xa9") << "bytes compare unsigned";
    EXPECT_EQ(st(0).null_count, 1);
    EXPECT_EQ(st(1).min_value, "");
    EXPECT_EQ(st(1).max_value, std::string("\x80\x00", 2));
    EXPECT_EQ(st(2).min_value, Bytes<int32_t>(-999999999)) << "DECIMAL(9) is INT32";
    EXPECT_EQ(st(2).max_value, Bytes<int32_t>(3));
    EXPECT_EQ(st(3).min_value, Bytes<int64_t>(-123456789012345678));
    EXPECT_EQ(st(3).max_value, Bytes<int64_t>(5));
    // FLBA decimals: big-endian two's complement, signed order.
    std::string min38(16, '\0');
    min38[0] = static_cast<char>(0xff);
    min38[1] = static_cast<char>(0xff);
    min38[2] = static_cast<char>(0xff);
    min38[3] = static_cast<char>(0xf0);  // -(2^100)
    EXPECT_EQ(st(4).min_value, min38);
    std::string seven(16, '\0');
    seven[15] = 7;
    EXPECT_EQ(st(4).max_value, seven);
    EXPECT_FALSE(st(4).min.has_value()) << "no deprecated min for FLBA";
    EXPECT_EQ(st(5).min_value, Bytes<float>(-1.5f)) << "NaN left out";
    EXPECT_EQ(st(5).max_value, Bytes<float>(2.25f));
    EXPECT_EQ(st(6).min_value, Bytes<double>(-std::numeric_limits<double>::infinity()));
    EXPECT_EQ(st(6).max_value, Bytes<double>(1e300));
    EXPECT_EQ(st(7).null_count, 3);
    EXPECT_FALSE(st(7).min_value.has_value()) << "no min/max when every value is null";
    EXPECT_FALSE(st(7).max_value.has_value());
    EXPECT_FALSE(st(8).min_value.has_value()) << "no min/max when every value is NaN";
    EXPECT_EQ(st(8).null_count, 1);
    EXPECT_EQ(st(9).min_value, Bytes<double>(-0.0)) << "a zero min is -0.0";
    EXPECT_EQ(st(9).max_value, Bytes<double>(0.0)) << "a zero max is +0.0";
    EXPECT_EQ(st(10).min_value, std::string(1, '\1'));
    EXPECT_EQ(st(10).max_value, std::string(1, '\1'));
    EXPECT_EQ(st(11).min_value, Bytes<int32_t>(-128));
    EXPECT_EQ(st(11).max_value, Bytes<int32_t>(127));
    // Page statistics agree with the chunk's here (one page each).
    const DecodedChunk d = Column(w, 0, 0);
    ASSERT_EQ(d.pages.size(), 1u);
    const Statistics& ps = *d.pages[0].header.data_page_header->statistics;
    EXPECT_EQ(ps.min_value, "zebra");
    EXPECT_EQ(ps.null_count, 1);
}

TEST(ParquetWriterTest, PageStatisticsPerPage) {
    auto schema = MakeSchema({Field{"i", DataType::Int32()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    for (int r = 0; r < 300; ++r) {
        if (r % 10 == 0) {
            b.column(0).AppendNull();
        } else {
            b.column(0).Append<int32_t>(r);
        }
    }
    b.set_num_rows(300);
    ParquetWriterOptions o;
    o.data_page_max_rows = 100;
    o.data_page_version = 2;
    const Written w = WriteAll(schema, batches, o);
    const DecodedChunk d = Column(w, 0, 0);
    ASSERT_EQ(d.pages.size(), 3u);
    for (int p = 0; p < 3; ++p) {
        const Statistics& s = *d.pages[p].header.data_page_header_v2->statistics;
        EXPECT_EQ(s.min_value, Bytes<int32_t>(p * 100 + 1));
        EXPECT_EQ(s.max_value, Bytes<int32_t>(p * 100 + 99));
        EXPECT_EQ(s.null_count, 10);
    }
    EXPECT_EQ(Meta(w, 0, 0).statistics->null_count, 30);
}

TEST(ParquetWriterTest, LongStringStatisticsAreTruncatedToBounds) {
    auto schema = MakeSchema({Field{"s", DataType::Varchar()}, Field{"b", DataType::Varbinary()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    const std::string lo = std::string(100, 'a') + "x";
    const std::string hi = std::string(62, 'b') + "\xc3\xa9" + std::string(40, 'c');  // é at 62
    const std::string bin_hi = std::string(70, '\xff');
    b.column(0).AppendString(lo);
    b.column(0).AppendString(hi);
    b.column(1).AppendString(std::string(64, 'q') + "r");
    b.column(1).AppendString(bin_hi);
    b.set_num_rows(2);
    ParquetWriterOptions o;
    o.max_statistics_bytes = 64;
    const Written w = WriteAll(schema, batches, o);
    const Statistics s = *Meta(w, 0, 0).statistics;
    EXPECT_EQ(s.min_value, std::string(64, 'a'));
    EXPECT_EQ(s.is_min_value_exact, false);
    // The cut falls before é (a 2-byte character at 62..63); 'b' at 61 is incremented.
    EXPECT_EQ(s.max_value, std::string(61, 'b') + "c");
    EXPECT_EQ(s.is_max_value_exact, false);
    EXPECT_LE(*s.min_value, lo);
    EXPECT_GT(*s.max_value, hi);
    const Statistics bs = *Meta(w, 0, 1).statistics;
    EXPECT_EQ(bs.min_value, std::string(64, 'q'));
    EXPECT_EQ(bs.max_value, bin_hi) << "no byte can be incremented: kept whole";
    EXPECT_EQ(bs.is_max_value_exact, true);
    o.max_statistics_bytes = 0;
    const Written full = WriteAll(schema, batches, o);
    EXPECT_EQ(full.read_footer.row_groups[0].columns[0].meta_data->statistics->max_value, hi);
}

TEST(ParquetWriterTest, PagesAndRowGroupsSplitBySize) {
    auto schema =
        MakeSchema({Field{"id", DataType::Int64(), false}, Field{"payload", DataType::Varbinary()},
                    Field{"l", DataType::List(DataType::Int32())}});
    std::vector<RecordBatch> batches;
    int64_t next = 0;
    for (int k = 0; k < 20; ++k) {
        batches.emplace_back(schema);
        RecordBatch& b = batches.back();
        for (int i = 0; i < 1000; ++i, ++next) {
            b.column(0).Append<int64_t>(next * 7919 % 100003);
            b.column(1).AppendString(
                std::string(static_cast<size_t>(next % 50), static_cast<char>('a' + next % 26)));
            for (int e = 0; e < next % 3; ++e) b.column(2).child(0).Append<int32_t>(e);
            b.column(2).AppendListEnd();
        }
        b.set_num_rows(1000);
    }
    ParquetWriterOptions o;
    o.row_group_bytes = 64 << 10;
    o.data_page_bytes = 8 << 10;
    o.codec = CompressionCodec::kUncompressed;
    o.dictionary = false;
    const Written w = WriteAll(schema, batches, o);
    const FileMetaData& md = w.read_footer;
    EXPECT_EQ(md.num_rows, 20000);
    EXPECT_GE(md.row_groups.size(), 5u);
    int64_t rows = 0;
    for (size_t i = 0; i < md.row_groups.size(); ++i) {
        const RowGroup& rg = md.row_groups[i];
        rows += rg.num_rows;
        EXPECT_EQ(rg.ordinal, static_cast<int16_t>(i));
        if (i + 1 < md.row_groups.size()) {
            // Closed near the target: within a few slices of it.
            EXPECT_GE(*rg.total_compressed_size, 48 << 10) << i;
            EXPECT_LE(*rg.total_compressed_size, 96 << 10) << i;
        }
        int64_t next_offset = *rg.file_offset;
        for (size_t c = 0; c < rg.columns.size(); ++c) {
            const ColumnMetaData& cm = *rg.columns[c].meta_data;
            EXPECT_EQ(cm.dictionary_page_offset.value_or(cm.data_page_offset), next_offset);
            next_offset += cm.total_compressed_size;
            const DecodedChunk d = Column(w, i, c);
            for (const auto& p : d.pages) {
                EXPECT_LE(p.header.uncompressed_page_size, (8 << 10) + 2048)
                    << "page size, column " << c << " row group " << i;
                if (c == 2) {
                    EXPECT_EQ(d.rep[p.first_level], 0u) << "pages start rows";
                }
            }
            if (c == 1 && i + 1 < md.row_groups.size()) {
                EXPECT_GT(d.pages.size(), 3u) << "row group " << i;
            }
        }
    }
    EXPECT_EQ(rows, 20000);
    // Every value comes back in order across row groups.
    const DecodedChunk ids = WholeColumn(w, 0);
    ASSERT_EQ(ids.values.size(), 20000u);
    for (int64_t r = 0; r < 20000; ++r) {
        ASSERT_EQ(ids.values[r], Bytes<int64_t>(r * 7919 % 100003)) << r;
    }
    const DecodedChunk l = WholeColumn(w, 2);
    size_t list_rows = 0;
    for (uint32_t r : l.rep) list_rows += r == 0;
    EXPECT_EQ(list_rows, 20000u);
}

TEST(ParquetWriterTest, OneLargeBatchIsSplitIntoRowGroups) {
    auto schema = MakeSchema({Field{"x", DataType::Int64(), false}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema, 200000);
    RecordBatch& b = batches.back();
    for (int64_t i = 0; i < 200000; ++i) b.column(0).Append<int64_t>(i * i);
    b.set_num_rows(200000);
    ParquetWriterOptions o;
    o.row_group_bytes = 256 << 10;
    o.codec = CompressionCodec::kUncompressed;
    o.delta = false;
    o.dictionary = false;
    const Written w = WriteAll(schema, batches, o);
    EXPECT_GE(w.read_footer.row_groups.size(), 5u);
    EXPECT_LE(w.read_footer.row_groups.size(), 8u);
    const DecodedChunk d = WholeColumn(w, 0);
    ASSERT_EQ(d.values.size(), 200000u);
    EXPECT_EQ(d.values[199999], Bytes<int64_t>(int64_t{199999} * 199999));
}

// Streaming: however many rows go in, what the writer holds stays about one row group (the
// rows already written out are not kept), and the file keeps growing as row groups close.
TEST(ParquetWriterTest, MemoryStaysBoundedByTheRowGroupSize) {
    auto schema =
        MakeSchema({Field{"id", DataType::Int64(), false}, Field{"s", DataType::Varchar()}});
    ParquetWriterOptions o;
    o.row_group_bytes = 256 << 10;
    o.data_page_bytes = 32 << 10;
    MemoryObjectWriter out;
    auto writer = ParquetWriter::Open(&out, schema, o);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    RecordBatch b(schema);
    size_t max_buffered = 0;
    uint64_t written_before = 0;
    int growths = 0;
    for (int k = 0; k < 400; ++k) {  // 800k rows, ~30 MB of values
        b.Reset();
        for (int i = 0; i < 2000; ++i) {
            const int64_t v = int64_t{k} * 2000 + i;
            b.column(0).Append<int64_t>(v * 2654435761 % 1000003);
            b.column(1).AppendString("value-" + std::to_string(v * 40503 % 999983) + "-padding");
        }
        b.set_num_rows(2000);
        ASSERT_TRUE((*writer)->Write(b).ok());
        max_buffered = std::max(max_buffered, (*writer)->buffered_bytes());
        if (out.size() > written_before) ++growths;
        written_before = out.size();
    }
    auto md = (*writer)->Close();
    ASSERT_TRUE(md.ok()) << md.status().ToString();
    EXPECT_GT(md->row_groups.size(), 20u);
    EXPECT_GT(growths, 20) << "row groups go out while rows come in";
    // A row group is closed once it reaches its size: at most one check interval past it.
    EXPECT_LE(max_buffered, size_t{2} * (256 << 10)) << "buffered " << max_buffered;
    EXPECT_GT(out.size(), 10 * max_buffered) << "the file is far larger than what was held";
}

TEST(ParquetWriterTest, OutputIsDeterministic) {
    auto schema = MakeSchema({Field{"s", DataType::Varchar()}, Field{"d", DataType::Double()}});
    std::vector<RecordBatch> batches;
    batches.emplace_back(schema);
    RecordBatch& b = batches.back();
    for (int i = 0; i < 3000; ++i) {
        b.column(0).AppendString(std::to_string(i % 97));
        b.column(1).Append<double>(i / 3.0);
    }
    b.set_num_rows(3000);
    const Written a = WriteAll(schema, batches);
    const Written c = WriteAll(schema, batches);
    EXPECT_EQ(a.file, c.file);
}

// ---- errors -----------------------------------------------------------------------------

TEST(ParquetWriterErrorsTest, InvalidOptions) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}});
    auto open = [&](ParquetWriterOptions o) {
        MemoryObjectWriter out;
        return ParquetWriter::Open(&out, schema, o).status();
    };
    ParquetWriterOptions o;
    o.codec = CompressionCodec::kLz4;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(open(o).message(), HasSubstr("LZ4"));
    o = {};
    o.codec = CompressionCodec::kLzo;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);
    o = {};
    o.codec = CompressionCodec::kGzip;
    o.compression_level = 12;
    EXPECT_THAT(open(o).message(), HasSubstr("GZIP level"));
    o = {};
    o.data_page_version = 3;
    EXPECT_THAT(open(o).message(), HasSubstr("data_page_version"));
    o = {};
    o.row_group_bytes = 0;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);
    o = {};
    o.data_page_bytes = 0;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);
    o = {};
    o.data_page_max_rows = 0;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);
    o = {};
    o.dictionary_page_limit = uint64_t{2} << 30;
    EXPECT_EQ(open(o).code(), StatusCode::kInvalidArgument);

    MemoryObjectWriter used;
    ASSERT_TRUE(used.Append("x").ok());
    EXPECT_THAT(ParquetWriter::Open(&used, schema).status().message(), HasSubstr("already holds"));
    EXPECT_EQ(ParquetWriter::Open(nullptr, schema).status().code(), StatusCode::kInvalidArgument);
}

TEST(ParquetWriterErrorsTest, SchemaMismatchFailsTheWriter) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}});
    auto other = MakeSchema({Field{"a", DataType::Int64()}});
    auto same = MakeSchema({Field{"a", DataType::Int32()}});  // equal, another object
    MemoryObjectWriter out;
    auto w = ParquetWriter::Open(&out, schema);
    ASSERT_TRUE(w.ok());
    RecordBatch ok(same);
    ok.column(0).Append<int32_t>(1);
    ok.set_num_rows(1);
    EXPECT_TRUE((*w)->Write(ok).ok());
    RecordBatch bad(other);
    bad.column(0).Append<int64_t>(1);
    bad.set_num_rows(1);
    const Status s = (*w)->Write(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("differs"));
    // Sticky: the same error afterwards, for good batches too, and from Close.
    EXPECT_EQ((*w)->Write(ok), s);
    EXPECT_EQ((*w)->Close().status(), s);
}

TEST(ParquetWriterErrorsTest, CloseTwiceAndWriteAfterClose) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}});
    MemoryObjectWriter out;
    auto w = ParquetWriter::Open(&out, schema);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Close().ok());
    EXPECT_EQ((*w)->Close().status().code(), StatusCode::kFailedPrecondition);
    RecordBatch b(schema);
    EXPECT_EQ((*w)->Write(b).code(), StatusCode::kFailedPrecondition);
}

TEST(ParquetWriterErrorsTest, ObjectWriterFailureIsSticky) {
    auto schema = MakeSchema({Field{"a", DataType::Int64(), false}});
    RecordBatch b(schema, 10000);
    for (int64_t i = 0; i < 10000; ++i) b.column(0).Append<int64_t>(i * 1000003 % 99991);
    b.set_num_rows(10000);
    ParquetWriterOptions o;
    o.row_group_bytes = 16 << 10;
    o.codec = CompressionCodec::kUncompressed;
    o.dictionary = false;
    o.delta = false;

    MemoryObjectWriter out;
    out.FailAfter(20000);  // the second row group's flush fails
    auto w = ParquetWriter::Open(&out, schema, o);
    ASSERT_TRUE(w.ok());
    const Status s = (*w)->Write(b);
    EXPECT_EQ(s.code(), StatusCode::kIOError);
    EXPECT_THAT(s.message(), HasSubstr("injected"));
    EXPECT_EQ((*w)->Write(b), s);
    EXPECT_EQ((*w)->Close().status(), s);

    MemoryObjectWriter magic_fails;
    magic_fails.FailAfter(0);
    EXPECT_EQ(ParquetWriter::Open(&magic_fails, schema).status().code(), StatusCode::kIOError);

    // A failure while writing the footer.
    MemoryObjectWriter footer_fails;
    auto w2 = ParquetWriter::Open(&footer_fails, schema);
    ASSERT_TRUE(w2.ok());
    RecordBatch small(schema);
    small.column(0).Append<int64_t>(1);
    small.set_num_rows(1);
    ASSERT_TRUE((*w2)->Write(small).ok());
    footer_fails.FailAfter(footer_fails.size() + 40);
    EXPECT_EQ((*w2)->Close().status().code(), StatusCode::kIOError);
    EXPECT_EQ((*w2)->Close().status().code(), StatusCode::kIOError);
}

TEST(ParquetWriterErrorsTest, ColumnLengthMismatch) {
    auto schema = MakeSchema({Field{"a", DataType::Int32()}});
    MemoryObjectWriter out;
    auto w = ParquetWriter::Open(&out, schema);
    ASSERT_TRUE(w.ok());
    RecordBatch b(schema);
    b.column(0).Append<int32_t>(1);
    b.set_num_rows(2);
    EXPECT_THAT((*w)->Write(b).message(), HasSubstr("has 1 rows"));
}

}  // namespace
}  // namespace tarn::format
