// The typed value encoders of ColumnChunkWriter (see parquet_column_writer.h for the encoding
// choice): BooleanWriter (PLAIN bit-packed), FixedWriter<Phys, Src> for INT32/INT64/FLOAT/DOUBLE
// and FIXED_LEN_BYTE_ARRAY decimals (Phys is the Parquet value, Src the columnar storage it is
// converted from), ByteArrayWriter for VARCHAR/VARBINARY.
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "format/delta_binary_packed.h"
#include "format/parquet_column_writer.h"
#include "format/parquet_dictionary.h"
#include "format/parquet_statistics.h"
#include "format/rle_bit_packing.h"

namespace tarn::format {
namespace {

using columnar::int128_t;
using columnar::TypeId;
using columnar::uint128_t;

enum class Mode : uint8_t {
    kSample,      // first page of a chunk: PLAIN bytes (+ dictionary indices) kept to choose
    kDictionary,  // RLE_DICTIONARY
    kPlain,
    kDelta,  // DELTA_BINARY_PACKED
};

// Appends the RLE_DICTIONARY data of `indices`: the bit width byte, then the hybrid runs.
void EncodeIndices(const ScratchArray<uint32_t>& indices, size_t dict_size, std::string* out) {
    const int width = RleBitWidth(dict_size > 1 ? static_cast<uint32_t>(dict_size - 1) : 0);
    out->push_back(static_cast<char>(width));
    RleBitPackedEncoder enc(width, out);
    enc.Put(indices.data(), indices.size());
    enc.Flush();
}

// Grows `a` by n (uninitialized) and returns the first new element.
template <class T>
T* Grow(ScratchArray<T>* a, size_t n) {
    const size_t old = a->size();
    a->Resize(old + n);
    return a->data() + old;
}

// a < b, bytes compared unsigned (the BYTE_ARRAY order); most pairs are told apart by their
// first 8 bytes, compared as one big-endian word without a call.
inline bool BytesLess(std::string_view a, std::string_view b) {
    if (a.size() >= 8 && b.size() >= 8) {
        const uint64_t x = __builtin_bswap64(Load64(a.data()));
        const uint64_t y = __builtin_bswap64(Load64(b.data()));
        if (x != y) return x < y;
    }
    return a < b;
}

size_t IndicesEstimate(size_t n, size_t dict_size) {
    const int width = RleBitWidth(dict_size > 1 ? static_cast<uint32_t>(dict_size - 1) : 0);
    return 1 + (n * static_cast<size_t>(width) + 7) / 8;
}

// ---- BOOLEAN ------------------------------------------------------------------------------

class BooleanWriter final : public ColumnChunkWriter {
public:
    BooleanWriter(const ParquetColumn& column, const ColumnWriterOptions& options, BlockPool* pool,
                  PageScratch* scratch)
        : ColumnChunkWriter(column, options, pool, scratch) {}

private:
    void AppendValues(const LeafLevels& lv, size_t begin, size_t end) override {
        const size_t n = end - begin;
        if (n == 0) return;
        const auto* src = lv.leaf->Data<uint8_t>();
        uint8_t* dst = Grow(&values_, n);
        if (lv.contiguous) {
            std::memcpy(dst, src + lv.value_begin + begin, n);
        } else {
            const uint32_t* idx = lv.value_index.data() + begin;
            for (size_t i = 0; i < n; ++i) dst[i] = src[idx[i]];
        }
        for (size_t i = 0; i < n; ++i) seen_[dst[i] & 1] = true;
    }

    size_t PageValuesEstimate() const override { return (values_.size() + 7) / 8; }

    void EncodePageValues(std::string* out, Encoding* encoding, Statistics* stats) override {
        const size_t start = out->size();
        out->resize(start + (values_.size() + 7) / 8, '\0');
        auto* bits = reinterpret_cast<uint8_t*>(out->data() + start);
        for (size_t i = 0; i < values_.size(); ++i) {
            bits[i >> 3] = static_cast<uint8_t>(bits[i >> 3] | ((values_[i] & 1) << (i & 7)));
        }
        *encoding = Encoding::kPlain;
        SetStats(seen_, stats);
        chunk_seen_[0] |= seen_[0];
        chunk_seen_[1] |= seen_[1];
        seen_[0] = seen_[1] = false;
        values_.Clear();
    }

    bool DictionaryPage(std::string*, int32_t*) override { return false; }
    void ChunkMinMax(Statistics* stats) override { SetStats(chunk_seen_, stats); }
    void ResetChunk() override { chunk_seen_[0] = chunk_seen_[1] = false; }

    static void SetStats(const bool seen[2], Statistics* stats) {
        if (!seen[0] && !seen[1]) return;
        const char lo = seen[0] ? 0 : 1;
        const char hi = seen[1] ? 1 : 0;
        SetMinMax(std::string_view(&lo, 1), std::string_view(&hi, 1), false, stats);
    }

    ScratchArray<uint8_t> values_;
    bool seen_[2] = {false, false};  // false, true seen in the page
    bool chunk_seen_[2] = {false, false};
};

// ---- Fixed-width --------------------------------------------------------------------------

template <class Phys>
using KeyOf = std::conditional_t<sizeof(Phys) == 4, uint32_t,
                                 std::conditional_t<sizeof(Phys) == 8, uint64_t, uint128_t>>;

template <class Phys, class Src>
class FixedWriter final : public ColumnChunkWriter {
    static constexpr bool kIsFloat = std::is_floating_point_v<Phys>;
    static constexpr bool kIsFlba = sizeof(Phys) == 16;
    static constexpr bool kDeltaType =
        std::is_same_v<Phys, int32_t> || std::is_same_v<Phys, int64_t>;
    using Key = KeyOf<Phys>;

public:
    FixedWriter(const ParquetColumn& column, const ColumnWriterOptions& options, BlockPool* pool,
                PageScratch* scratch)
        : ColumnChunkWriter(column, options, pool, scratch),
          value_bytes_(kIsFlba ? static_cast<size_t>(column.type_length) : sizeof(Phys)) {
        ResetChunk();
    }

private:
    void AppendValues(const LeafLevels& lv, size_t begin, size_t end) override {
        const size_t n = end - begin;
        if (n == 0) return;
        const Src* src = lv.leaf->Data<Src>();
        // The values as Phys: straight from the vector when they already are, else converted.
        const bool keep_raw = mode_ != Mode::kDictionary;
        const Phys* vals;
        if (keep_raw) {
            Phys* dst = Grow(&raw_, n);
            Gather(lv, src, begin, n, dst);
            vals = dst;
        } else if (std::is_same_v<Phys, Src> && lv.contiguous) {
            vals = reinterpret_cast<const Phys*>(src) + lv.value_begin + begin;
        } else {
            gather_.Resize(n);
            Gather(lv, src, begin, n, gather_.data());
            vals = gather_.data();
        }
        UpdateStats(vals, n);
        if (mode_ == Mode::kDictionary || (mode_ == Mode::kSample && options_.dictionary)) {
            uint32_t* out = Grow(&indices_, n);
            for (size_t i = 0; i < n; ++i) out[i] = dict_.GetOrInsert(std::bit_cast<Key>(vals[i]));
        }
    }

    static void Gather(const LeafLevels& lv, const Src* src, size_t begin, size_t n, Phys* out) {
        if (lv.contiguous) {
            const Src* s = src + lv.value_begin + begin;
            if constexpr (std::is_same_v<Phys, Src>) {
                std::memcpy(out, s, n * sizeof(Phys));
            } else {
                for (size_t i = 0; i < n; ++i) out[i] = static_cast<Phys>(s[i]);
            }
        } else {
            const uint32_t* idx = lv.value_index.data() + begin;
            for (size_t i = 0; i < n; ++i) out[i] = static_cast<Phys>(src[idx[i]]);
        }
    }

    void UpdateStats(const Phys* v, size_t n) {
        Phys lo = page_has_ ? page_min_ : Phys{};
        Phys hi = page_has_ ? page_max_ : Phys{};
        size_t i = 0;
        if (!page_has_) {
            if constexpr (kIsFloat) {
                while (i < n && std::isnan(v[i])) ++i;
            }
            if (i == n) return;
            lo = hi = v[i++];
            page_has_ = true;
        }
        for (; i < n; ++i) {
            const Phys x = v[i];
            if constexpr (kIsFloat) {
                if (std::isnan(x)) continue;
            }
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        page_min_ = lo;
        page_max_ = hi;
    }

    size_t PageValuesEstimate() const override {
        if (mode_ == Mode::kDictionary) return IndicesEstimate(indices_.size(), dict_.size());
        return raw_.size() * value_bytes_;
    }

    // The dictionary is empty unless the chunk samples or uses it.
    size_t DictionaryBytes() const override { return dict_.size() * value_bytes_; }

    bool DictionaryFull() const override {
        return (mode_ == Mode::kDictionary || (mode_ == Mode::kSample && options_.dictionary)) &&
               dict_.size() * value_bytes_ > options_.dictionary_page_limit;
    }

    void AppendPlain(const Phys* v, size_t n, std::string* out) const {
        if constexpr (kIsFlba) {
            const size_t start = out->size();
            out->resize(start + n * value_bytes_);
            char* dst = out->data() + start;
            for (size_t i = 0; i < n; ++i) dst += StoreBigEndian(v[i], dst);
        } else {
            out->append(reinterpret_cast<const char*>(v), n * sizeof(Phys));
        }
    }

    // The low value_bytes_ bytes of the two's complement value, most significant first.
    size_t StoreBigEndian(Phys v, char* dst) const {
        const auto u = static_cast<uint128_t>(v);
        for (size_t b = 0; b < value_bytes_; ++b) {
            dst[value_bytes_ - 1 - b] = static_cast<char>(static_cast<uint8_t>(u >> (8 * b)));
        }
        return value_bytes_;
    }

    void AppendDelta(const Phys* v, size_t n, std::string* out) {
        if constexpr (kDeltaType) {
            delta_.Put(v, n);
            delta_.Finish(out);
        }
    }

    void EncodePageValues(std::string* out, Encoding* encoding, Statistics* stats) override {
        const size_t n = raw_.size();
        switch (mode_) {
            case Mode::kSample:
                Choose(out, encoding);
                break;
            case Mode::kDictionary:
                EncodeIndices(indices_, dict_.size(), out);
                *encoding = Encoding::kRleDictionary;
                if (DictionaryFull()) mode_ = fallback_;
                break;
            case Mode::kPlain:
                AppendPlain(raw_.data(), n, out);
                *encoding = Encoding::kPlain;
                break;
            case Mode::kDelta:
                AppendDelta(raw_.data(), n, out);
                *encoding = Encoding::kDeltaBinaryPacked;
                break;
        }
        if (page_has_) {
            SetStats(page_min_, page_max_, stats);
            if (!chunk_has_) {
                chunk_min_ = page_min_;
                chunk_max_ = page_max_;
                chunk_has_ = true;
            } else {
                chunk_min_ = page_min_ < chunk_min_ ? page_min_ : chunk_min_;
                chunk_max_ = page_max_ > chunk_max_ ? page_max_ : chunk_max_;
            }
        }
        page_has_ = false;
        raw_.Clear();
        indices_.Clear();
    }

    // The first page: keeps the smallest of PLAIN, DELTA and the dictionary for the chunk.
    void Choose(std::string* out, Encoding* encoding) {
        const size_t n = raw_.size();
        *encoding = Encoding::kPlain;
        if (n == 0) return;  // a page of nulls only: nothing to judge by, keep sampling
        size_t best = n * value_bytes_;
        fallback_ = Mode::kPlain;
        if (kDeltaType && options_.delta && n > 0) {
            scratch_.clear();
            AppendDelta(raw_.data(), n, &scratch_);
            if (scratch_.size() < best) {
                best = scratch_.size();
                fallback_ = Mode::kDelta;
            }
        }
        mode_ = fallback_;
        if (options_.dictionary) {
            dict_buf_.clear();
            EncodeIndices(indices_, dict_.size(), &dict_buf_);
            if (dict_buf_.size() + dict_.size() * value_bytes_ < best) mode_ = Mode::kDictionary;
        }
        switch (mode_) {
            case Mode::kDictionary:
                out->append(dict_buf_);
                *encoding = Encoding::kRleDictionary;
                dict_used_ = true;
                if (DictionaryFull()) mode_ = fallback_;
                return;
            case Mode::kDelta:
                out->append(scratch_);
                *encoding = Encoding::kDeltaBinaryPacked;
                break;
            default:
                AppendPlain(raw_.data(), n, out);
                *encoding = Encoding::kPlain;
                break;
        }
        dict_.Clear();
    }

    void SetStats(Phys lo, Phys hi, Statistics* stats) const {
        if constexpr (kIsFloat) {
            if (lo == Phys{0}) lo = -Phys{0};  // the spec: a zero min is written as -0.0
            if (hi == Phys{0}) hi = Phys{0};   // and a zero max as +0.0
        }
        char a[16];
        char b[16];
        if constexpr (kIsFlba) {
            StoreBigEndian(lo, a);
            StoreBigEndian(hi, b);
        } else {
            std::memcpy(a, &lo, sizeof(Phys));
            std::memcpy(b, &hi, sizeof(Phys));
        }
        SetMinMax(std::string_view(a, value_bytes_), std::string_view(b, value_bytes_),
                  /*legacy=*/!kIsFlba, stats);
    }

    bool DictionaryPage(std::string* body, int32_t* count) override {
        if (!dict_used_) return false;
        const std::vector<Key>& keys = dict_.values();
        if constexpr (kIsFlba) {
            for (const Key k : keys) {
                char buf[16];
                body->append(buf, StoreBigEndian(std::bit_cast<Phys>(k), buf));
            }
        } else {
            body->append(reinterpret_cast<const char*>(keys.data()), keys.size() * sizeof(Key));
        }
        *count = static_cast<int32_t>(keys.size());
        return true;
    }

    void ChunkMinMax(Statistics* stats) override {
        if (chunk_has_) SetStats(chunk_min_, chunk_max_, stats);
    }

    void ResetChunk() override {
        const bool sample = options_.dictionary || (kDeltaType && options_.delta);
        mode_ = sample ? Mode::kSample : Mode::kPlain;
        fallback_ = Mode::kPlain;
        dict_.Clear();
        dict_used_ = false;
        chunk_has_ = false;
    }

    const size_t value_bytes_;
    Mode mode_ = Mode::kSample;
    Mode fallback_ = Mode::kPlain;
    FixedDictionary<Key> dict_;
    bool dict_used_ = false;
    ScratchArray<Phys> raw_;  // the page's values (not in dictionary mode)
    ScratchArray<uint32_t> indices_;
    ScratchArray<Phys> gather_;
    std::string scratch_;
    std::string dict_buf_;
    DeltaBinaryPackedEncoder<std::conditional_t<sizeof(Phys) == 4, int32_t, int64_t>> delta_;
    bool page_has_ = false;
    Phys page_min_{};
    Phys page_max_{};
    bool chunk_has_ = false;
    Phys chunk_min_{};
    Phys chunk_max_{};
};

// ---- BYTE_ARRAY ---------------------------------------------------------------------------

class ByteArrayWriter final : public ColumnChunkWriter {
public:
    ByteArrayWriter(const ParquetColumn& column, const ColumnWriterOptions& options,
                    BlockPool* pool, PageScratch* scratch)
        : ColumnChunkWriter(column, options, pool, scratch),
          utf8_(column.type.id() == TypeId::kVarchar) {
        ResetChunk();
    }

private:
    void AppendValues(const LeafLevels& lv, size_t begin, size_t end) override {
        const size_t n = end - begin;
        if (n == 0) return;
        const uint32_t* off = lv.leaf->offsets();
        const char* data = lv.leaf->string_data();
        const uint32_t* idx = lv.contiguous ? nullptr : lv.value_index.data() + begin;
        const size_t first = lv.value_begin + begin;
        auto slot = [&](size_t i) -> size_t { return idx ? idx[i] : first + i; };
        if (mode_ != Mode::kDictionary) AppendPlain(off, data, idx, first, n);
        if (mode_ == Mode::kPlain) {
            for (size_t i = 0; i < n; ++i) {
                const size_t k = slot(i);
                Visit(std::string_view(data + off[k], off[k + 1] - off[k]));
            }
        } else {  // dictionary or sampling with the dictionary
            uint32_t* out = Grow(&indices_, n);
            for (size_t i = 0; i < n; ++i) {
                const size_t k = slot(i);
                const std::string_view s(data + off[k], off[k + 1] - off[k]);
                bool inserted;
                const uint32_t index = dict_.GetOrInsert(s, &inserted);
                out[i] = index;
                // Statistics see each distinct value once per page.
                if (inserted) {
                    stamps_.push_back(page_seq_);
                    Visit(s);
                } else if (stamps_[index] != page_seq_) {
                    stamps_[index] = page_seq_;
                    Visit(s);
                }
            }
        }
        if (call_has_) {
            if (!page_has_ || call_min_ < std::string_view(page_min_)) page_min_.assign(call_min_);
            if (!page_has_ || call_max_ > std::string_view(page_max_)) page_max_.assign(call_max_);
            page_has_ = true;
            call_has_ = false;
        }
    }

    void Visit(std::string_view s) {
        if (!call_has_) {
            call_min_ = call_max_ = s;
            call_has_ = true;
        } else if (BytesLess(s, call_min_)) {
            call_min_ = s;
        } else if (BytesLess(call_max_, s)) {
            call_max_ = s;
        }
    }

    // Appends n values PLAIN (4-byte length + bytes each) with one resize.
    void AppendPlain(const uint32_t* off, const char* data, const uint32_t* idx, size_t first,
                     size_t n) {
        size_t bytes = 4 * n;
        if (idx == nullptr) {
            bytes += off[first + n] - off[first];
        } else {
            for (size_t i = 0; i < n; ++i) bytes += off[idx[i] + 1] - off[idx[i]];
        }
        const size_t start = plain_.size();
        plain_.Resize(start + bytes);
        char* dst = reinterpret_cast<char*>(plain_.mutable_data()) + start;
        for (size_t i = 0; i < n; ++i) {
            const size_t k = idx ? idx[i] : first + i;
            const uint32_t len = off[k + 1] - off[k];
            std::memcpy(dst, &len, 4);
            if (len != 0) std::memcpy(dst + 4, data + off[k], len);  // data may be null if empty
            dst += 4 + len;
        }
    }

    size_t PageValuesEstimate() const override {
        if (mode_ == Mode::kDictionary) return IndicesEstimate(indices_.size(), dict_.size());
        return plain_.size();
    }

    size_t DictionaryBytes() const override { return dict_.plain().size(); }

    bool DictionaryFull() const override {
        return (mode_ == Mode::kDictionary || mode_ == Mode::kSample) &&
               dict_.plain().size() > options_.dictionary_page_limit;
    }

    void EncodePageValues(std::string* out, Encoding* encoding, Statistics* stats) override {
        switch (mode_) {
            case Mode::kSample: {
                *encoding = Encoding::kPlain;
                if (indices_.empty()) break;  // nulls only: keep sampling
                EncodeIndices(indices_, dict_.size(), &dict_buf_);
                if (dict_buf_.size() + dict_.plain().size() < plain_.size()) {
                    out->append(dict_buf_);
                    *encoding = Encoding::kRleDictionary;
                    dict_used_ = true;
                    mode_ = DictionaryFull() ? Mode::kPlain : Mode::kDictionary;
                } else {
                    out->append(plain_.view());
                    *encoding = Encoding::kPlain;
                    mode_ = Mode::kPlain;
                    dict_.Clear();
                    stamps_.clear();
                }
                dict_buf_.clear();
                break;
            }
            case Mode::kDictionary:
                EncodeIndices(indices_, dict_.size(), out);
                *encoding = Encoding::kRleDictionary;
                if (DictionaryFull()) mode_ = Mode::kPlain;
                break;
            default:
                out->append(plain_.view());
                *encoding = Encoding::kPlain;
                break;
        }
        if (page_has_) {
            SetByteArrayMinMax(page_min_, page_max_, options_.max_statistics_bytes, utf8_, stats);
            if (!chunk_has_ || page_min_ < chunk_min_) chunk_min_ = page_min_;
            if (!chunk_has_ || page_max_ > chunk_max_) chunk_max_ = page_max_;
            chunk_has_ = true;
        }
        page_has_ = false;
        ++page_seq_;
        plain_.Reset();
        indices_.Clear();
    }

    bool DictionaryPage(std::string* body, int32_t* count) override {
        if (!dict_used_) return false;
        body->append(dict_.plain());
        *count = static_cast<int32_t>(dict_.size());
        return true;
    }

    void ChunkMinMax(Statistics* stats) override {
        if (chunk_has_) {
            SetByteArrayMinMax(chunk_min_, chunk_max_, options_.max_statistics_bytes, utf8_, stats);
        }
    }

    void ResetChunk() override {
        mode_ = options_.dictionary ? Mode::kSample : Mode::kPlain;
        dict_.Clear();
        stamps_.clear();
        dict_used_ = false;
        chunk_has_ = false;
    }

    const bool utf8_;
    Mode mode_ = Mode::kSample;
    ByteArrayDictionary dict_;
    std::vector<uint32_t> stamps_;  // per dictionary entry: the last page whose stats saw it
    uint32_t page_seq_ = 1;
    bool dict_used_ = false;
    columnar::Buffer plain_;  // the page's values, PLAIN (not in dictionary mode)
    ScratchArray<uint32_t> indices_;
    std::string dict_buf_;
    bool call_has_ = false;
    std::string_view call_min_;
    std::string_view call_max_;
    bool page_has_ = false;
    std::string page_min_;
    std::string page_max_;
    bool chunk_has_ = false;
    std::string chunk_min_;
    std::string chunk_max_;
};

}  // namespace

std::unique_ptr<ColumnChunkWriter> ColumnChunkWriter::Make(const ParquetColumn& column,
                                                           const ColumnWriterOptions& options,
                                                           BlockPool* pool, PageScratch* scratch) {
    switch (column.type.id()) {
        case TypeId::kBoolean:
            return std::make_unique<BooleanWriter>(column, options, pool, scratch);
        case TypeId::kInt8:
            return std::make_unique<FixedWriter<int32_t, int8_t>>(column, options, pool, scratch);
        case TypeId::kInt16:
            return std::make_unique<FixedWriter<int32_t, int16_t>>(column, options, pool, scratch);
        case TypeId::kInt32:
        case TypeId::kDate:
            return std::make_unique<FixedWriter<int32_t, int32_t>>(column, options, pool, scratch);
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return std::make_unique<FixedWriter<int64_t, int64_t>>(column, options, pool, scratch);
        case TypeId::kFloat:
            return std::make_unique<FixedWriter<float, float>>(column, options, pool, scratch);
        case TypeId::kDouble:
            return std::make_unique<FixedWriter<double, double>>(column, options, pool, scratch);
        case TypeId::kDecimal:
            if (column.physical_type == Type::kInt32) {
                return std::make_unique<FixedWriter<int32_t, int64_t>>(column, options, pool,
                                                                       scratch);
            }
            if (column.physical_type == Type::kInt64) {
                return std::make_unique<FixedWriter<int64_t, int64_t>>(column, options, pool,
                                                                       scratch);
            }
            return std::make_unique<FixedWriter<int128_t, int128_t>>(column, options, pool,
                                                                     scratch);
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return std::make_unique<ByteArrayWriter>(column, options, pool, scratch);
        case TypeId::kStruct:
        case TypeId::kList:
        case TypeId::kMap:
            break;
    }
    return nullptr;
}

}  // namespace tarn::format
