#include "format/parquet_value_decoder.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "common/text.h"
#include "format/delta_binary_packed.h"

namespace tarn::format {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;
using columnar::kMaxOffset;
using columnar::TypeId;
using columnar::uint128_t;

// ---- Shared helpers ----------------------------------------------------------------------------

namespace {

template <class T>
T Load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// The vector's fixed-width values buffer as bytes. REQUIRES: a fixed-width type.
uint8_t* MutableRaw(ColumnVector* v) {
    switch (v->type().FixedWidth()) {
        case 1:
            return v->MutableData<uint8_t>();
        case 2:
            return reinterpret_cast<uint8_t*>(v->MutableData<int16_t>());
        case 4:
            return reinterpret_cast<uint8_t*>(v->MutableData<int32_t>());
        case 8:
            return reinterpret_cast<uint8_t*>(v->MutableData<int64_t>());
        default:
            return reinterpret_cast<uint8_t*>(v->MutableData<int128_t>());
    }
}

constexpr int128_t Pow10(int p) {
    int128_t v = 1;
    for (int i = 0; i < p; ++i) v *= 10;
    return v;
}

constexpr auto kPow10 = [] {
    std::array<int128_t, 39> t{};
    for (int i = 0; i <= 38; ++i) t[static_cast<size_t>(i)] = Pow10(i);
    return t;
}();

Status TooManyStringBytes(size_t have, uint64_t more) {
    return Status::ResourceExhausted(
        "a batch would hold " + std::to_string(have + more) +
        " string bytes in one column, more than a vector can address (4 GiB); read with fewer "
        "rows per batch");
}

// Room for `more` further arena bytes; returns the arena's current size.
Result<size_t> GrowArena(ColumnVector* out, uint64_t more) {
    const size_t arena = out->string_bytes();
    if (more > kMaxOffset - arena) return TooManyStringBytes(arena, more);
    out->ResizeStringBytes(arena + static_cast<size_t>(more));
    return arena;
}

// Big-endian two's complement of any length as int128; nullopt when it does not fit.
std::optional<int128_t> BigEndianToInt128(const uint8_t* p, size_t len) {
    if (len == 0) return int128_t{0};
    const bool negative = (p[0] & 0x80) != 0;
    while (len > 16) {  // leading bytes must be sign extension
        if (p[0] != (negative ? 0xFF : 0x00)) return std::nullopt;
        ++p;
        --len;
    }
    if (len == 16 && ((p[0] & 0x80) != 0) != negative) return std::nullopt;
    uint128_t v = negative ? ~uint128_t{0} : 0;
    for (size_t i = 0; i < len; ++i) v = (v << 8) | p[i];
    return static_cast<int128_t>(v);
}

float HalfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1F;
    const uint32_t mant = h & 0x3FF;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalize
            const float f = std::ldexp(static_cast<float>(mant), -24);
            return sign ? -f : f;
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

constexpr char kHex[] = "0123456789abcdef";

void UuidText(const uint8_t* p, char* out) {
    int o = 0;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = kHex[p[i] >> 4];
        out[o++] = kHex[p[i] & 15];
    }
}

// Floor division by 1000 (timestamps before 1970 round down, as DuckDB and Arrow do).
int64_t FloorDiv1000(int64_t v) {
    int64_t q = v / 1000;
    if (v % 1000 < 0) --q;
    return q;
}

constexpr int64_t kJulianUnixEpochDay = 2440588;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

}  // namespace

size_t PhysicalWidth(Type type, int32_t type_length) {
    switch (type) {
        case Type::kBoolean:
            return 1;
        case Type::kInt32:
        case Type::kFloat:
            return 4;
        case Type::kInt64:
        case Type::kDouble:
            return 8;
        case Type::kInt96:
            return 12;
        case Type::kFixedLenByteArray:
            return static_cast<size_t>(std::max(type_length, 0));
        default:
            return 0;
    }
}

bool IsValidUtf8(const char* data, size_t size) {
    return tarn::IsValidUtf8(std::string_view(data, size));
}

// ---- Physical decoders
// ---------------------------------------------------------------------------

// Decodes the physical values of one page in one encoding. Errors are Corruption without context
// (ValueDecoder adds it).
class PhysicalDecoder {
public:
    virtual ~PhysicalDecoder() = default;
    virtual Status Start(std::string_view data, size_t max_values) = 0;
    // Fixed-width physical types: the next n values, PhysicalWidth bytes each, either in the page
    // or written to `scratch` (room for n values).
    virtual Result<const uint8_t*> NextFixed(size_t /*n*/, uint8_t* /*scratch*/) {
        return Status::Internal("fixed-width values asked of a BYTE_ARRAY decoder");
    }
    // BYTE_ARRAY: the next n values into string slots [pos, pos + n) of `out` (see
    // ValueDecoder::Decode).
    virtual Status NextStrings(size_t /*n*/, ColumnVector* /*out*/, size_t /*pos*/) {
        return Status::Internal("BYTE_ARRAY values asked of a fixed-width decoder");
    }
};

namespace {

Status NotEnough(const char* encoding, size_t n, size_t have) {
    return Status::Corruption(std::string(encoding) + " values end early: " + std::to_string(n) +
                              " wanted, " + std::to_string(have) + " left");
}

class PlainDecoder final : public PhysicalDecoder {
public:
    PlainDecoder(Type type, size_t width) : type_(type), width_(width) {}

    Status Start(std::string_view data, size_t /*max_values*/) override {
        data_ = data;
        pos_ = 0;
        bit_ = 0;
        return Status::Ok();
    }

    Result<const uint8_t*> NextFixed(size_t n, uint8_t* scratch) override {
        const auto* base = reinterpret_cast<const uint8_t*>(data_.data());
        if (type_ == Type::kBoolean) {
            const uint64_t bits_left = static_cast<uint64_t>(data_.size()) * 8 - bit_;
            if (n > bits_left) return NotEnough("PLAIN BOOLEAN", n, bits_left);
            for (size_t i = 0; i < n; ++i, ++bit_) {
                scratch[i] = (base[bit_ >> 3] >> (bit_ & 7)) & 1;
            }
            return scratch;
        }
        const size_t left = data_.size() - pos_;
        if (width_ == 0 || n > left / width_)
            return NotEnough("PLAIN", n, width_ ? left / width_ : 0);
        const uint8_t* p = base + pos_;
        pos_ += n * width_;
        return p;
    }

    Status NextStrings(size_t n, ColumnVector* out, size_t pos) override {
        const size_t left = data_.size() - pos_;
        if (n > left / 4) return NotEnough("PLAIN BYTE_ARRAY", n, left / 4);
        // The n values' bytes fit in what is left of the page after their length prefixes.
        const size_t bound = left - 4 * n;
        const size_t start = out->string_bytes();
        const bool clamp = bound > kMaxOffset - start;
        out->ResizeStringBytes(clamp ? kMaxOffset : start + bound);
        char* dst = out->mutable_string_data();
        uint32_t* off = out->mutable_offsets() + pos;
        const char* src = data_.data();
        size_t p = pos_;
        size_t arena = start;
        for (size_t i = 0; i < n; ++i) {
            if (data_.size() - p < 4) {
                out->ResizeStringBytes(start);
                return NotEnough("PLAIN BYTE_ARRAY", n - i, 0);
            }
            const uint32_t len = Load<uint32_t>(reinterpret_cast<const uint8_t*>(src + p));
            p += 4;
            // The arena was sized assuming each of the n values has its 4-byte length prefix, so
            // a value must leave room for the prefixes of those after it, not just fit the page:
            // else it is copied past the arena's end (found by fuzz/parquet_reader_fuzzer).
            const size_t room = data_.size() - p - 4 * (n - i - 1);
            if (len > room) {
                out->ResizeStringBytes(start);
                return Status::Corruption("PLAIN BYTE_ARRAY value of " + std::to_string(len) +
                                          " bytes runs past the page (" + std::to_string(room) +
                                          " left for it before the " + std::to_string(n - i - 1) +
                                          " values after it)");
            }
            if (clamp && len > kMaxOffset - arena) {
                out->ResizeStringBytes(start);
                return TooManyStringBytes(arena, len);
            }
            if (len > 0) std::memcpy(dst + arena, src + p, len);
            arena += len;
            p += len;
            off[i + 1] = static_cast<uint32_t>(arena);
        }
        out->ResizeStringBytes(arena);
        pos_ = p;
        return Status::Ok();
    }

private:
    const Type type_;
    const size_t width_;
    std::string_view data_;
    size_t pos_ = 0;
    uint64_t bit_ = 0;
};

class RleBooleanDecoder final : public PhysicalDecoder {
public:
    Status Start(std::string_view data, size_t /*max_values*/) override {
        if (data.size() < 4) return Status::Corruption("RLE BOOLEAN values: no length prefix");
        const uint32_t len = Load<uint32_t>(reinterpret_cast<const uint8_t*>(data.data()));
        if (len > data.size() - 4) {
            return Status::Corruption("RLE BOOLEAN values of " + std::to_string(len) +
                                      " bytes run past the page");
        }
        rle_.Reset(data.substr(4, len), 1);
        return Status::Ok();
    }
    Result<const uint8_t*> NextFixed(size_t n, uint8_t* scratch) override {
        TARN_RETURN_IF_ERROR(rle_.Get<uint8_t>(scratch, n));
        return scratch;
    }

private:
    RleDecoder rle_;
};

class DeltaDecoder final : public PhysicalDecoder {
public:
    explicit DeltaDecoder(bool is64) : is64_(is64) {}
    Status Start(std::string_view data, size_t /*max_values*/) override {
        dec_.reset();
        TARN_ASSIGN_OR_RETURN(DeltaBinaryPackedDecoder d, DeltaBinaryPackedDecoder::Open(data));
        dec_.emplace(std::move(d));
        return Status::Ok();
    }
    Result<const uint8_t*> NextFixed(size_t n, uint8_t* scratch) override {
        size_t got = 0;
        if (is64_) {
            TARN_ASSIGN_OR_RETURN(got, dec_->Decode(reinterpret_cast<int64_t*>(scratch), n));
        } else {
            TARN_ASSIGN_OR_RETURN(got, dec_->Decode(reinterpret_cast<int32_t*>(scratch), n));
        }
        if (got != n) return NotEnough("DELTA_BINARY_PACKED", n, got);
        return scratch;
    }

private:
    const bool is64_;
    std::optional<DeltaBinaryPackedDecoder> dec_;
};

class ByteStreamSplitDecoder final : public PhysicalDecoder {
public:
    explicit ByteStreamSplitDecoder(size_t width) : width_(width) {}
    Status Start(std::string_view data, size_t /*max_values*/) override {
        if (width_ == 0 || data.size() % width_ != 0) {
            return Status::Corruption("BYTE_STREAM_SPLIT values of " + std::to_string(data.size()) +
                                      " bytes are not a whole number of " + std::to_string(width_) +
                                      "-byte values");
        }
        data_ = reinterpret_cast<const uint8_t*>(data.data());
        count_ = data.size() / width_;
        next_ = 0;
        return Status::Ok();
    }
    Result<const uint8_t*> NextFixed(size_t n, uint8_t* scratch) override {
        if (n > count_ - next_) return NotEnough("BYTE_STREAM_SPLIT", n, count_ - next_);
        for (size_t b = 0; b < width_; ++b) {
            const uint8_t* stream = data_ + b * count_ + next_;
            for (size_t i = 0; i < n; ++i) scratch[i * width_ + b] = stream[i];
        }
        next_ += n;
        return scratch;
    }

private:
    const size_t width_;
    const uint8_t* data_ = nullptr;
    size_t count_ = 0;
    size_t next_ = 0;
};

// Decodes a whole DELTA_BINARY_PACKED stream of lengths at the start of `data` into `out`;
// returns the bytes it took.
Result<size_t> DecodeLengths(std::string_view data, columnar::Buffer* out, size_t* count,
                             const char* what) {
    TARN_ASSIGN_OR_RETURN(DeltaBinaryPackedDecoder d, DeltaBinaryPackedDecoder::Open(data));
    const uint64_t total = d.total_values();
    out->Resize(static_cast<size_t>(total) * sizeof(int32_t));
    auto* lengths = out->mutable_data_as<int32_t>();
    TARN_ASSIGN_OR_RETURN(size_t got, d.Decode(lengths, static_cast<size_t>(total)));
    if (got != total) return NotEnough(what, static_cast<size_t>(total), got);
    for (size_t i = 0; i < got; ++i) {
        if (lengths[i] < 0) {
            return Status::Corruption(std::string(what) + " " + std::to_string(i) + " is " +
                                      std::to_string(lengths[i]));
        }
    }
    *count = got;
    return d.position();
}

class DeltaLengthDecoder final : public PhysicalDecoder {
public:
    Status Start(std::string_view data, size_t /*max_values*/) override {
        TARN_ASSIGN_OR_RETURN(const size_t used,
                              DecodeLengths(data, &lengths_, &count_, "DELTA_LENGTH length"));
        bytes_ = data.substr(used);
        uint64_t total = 0;
        const int32_t* len = lengths_.data_as<int32_t>();
        for (size_t i = 0; i < count_; ++i) total += static_cast<uint64_t>(len[i]);
        if (total > bytes_.size()) {
            return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY lengths add up to " +
                                      std::to_string(total) + " bytes, the page holds " +
                                      std::to_string(bytes_.size()));
        }
        next_ = 0;
        byte_pos_ = 0;
        return Status::Ok();
    }
    Status NextStrings(size_t n, ColumnVector* out, size_t pos) override {
        if (n > count_ - next_) return NotEnough("DELTA_LENGTH_BYTE_ARRAY", n, count_ - next_);
        const int32_t* len = lengths_.data_as<int32_t>() + next_;
        uint64_t total = 0;
        for (size_t i = 0; i < n; ++i) total += static_cast<uint64_t>(len[i]);
        TARN_ASSIGN_OR_RETURN(const size_t arena, GrowArena(out, total));
        if (total > 0) {
            std::memcpy(out->mutable_string_data() + arena, bytes_.data() + byte_pos_, total);
        }
        uint32_t* off = out->mutable_offsets() + pos;
        auto end = static_cast<uint32_t>(arena);
        for (size_t i = 0; i < n; ++i) {
            end += static_cast<uint32_t>(len[i]);
            off[i + 1] = end;
        }
        byte_pos_ += total;
        next_ += n;
        return Status::Ok();
    }

private:
    columnar::Buffer lengths_;
    size_t count_ = 0;
    size_t next_ = 0;
    std::string_view bytes_;
    size_t byte_pos_ = 0;
};

class DeltaByteArrayDecoder final : public PhysicalDecoder {
public:
    explicit DeltaByteArrayDecoder(size_t fixed_width) : fixed_width_(fixed_width) {}

    Status Start(std::string_view data, size_t /*max_values*/) override {
        size_t prefixes = 0;
        size_t suffixes = 0;
        TARN_ASSIGN_OR_RETURN(const size_t used1,
                              DecodeLengths(data, &prefix_, &prefixes, "DELTA_BYTE_ARRAY prefix"));
        TARN_ASSIGN_OR_RETURN(
            const size_t used2,
            DecodeLengths(data.substr(used1), &suffix_, &suffixes, "DELTA_BYTE_ARRAY suffix"));
        if (prefixes != suffixes) {
            return Status::Corruption("DELTA_BYTE_ARRAY has " + std::to_string(prefixes) +
                                      " prefix lengths and " + std::to_string(suffixes) +
                                      " suffix lengths");
        }
        count_ = prefixes;
        bytes_ = data.substr(used1 + used2);
        uint64_t total = 0;
        const int32_t* len = suffix_.data_as<int32_t>();
        for (size_t i = 0; i < count_; ++i) total += static_cast<uint64_t>(len[i]);
        if (total > bytes_.size()) {
            return Status::Corruption("DELTA_BYTE_ARRAY suffixes add up to " +
                                      std::to_string(total) + " bytes, the page holds " +
                                      std::to_string(bytes_.size()));
        }
        next_ = 0;
        byte_pos_ = 0;
        last_.clear();
        return Status::Ok();
    }

    Status NextStrings(size_t n, ColumnVector* out, size_t pos) override {
        if (n > count_ - next_) return NotEnough("DELTA_BYTE_ARRAY", n, count_ - next_);
        const int32_t* pre = prefix_.data_as<int32_t>() + next_;
        const int32_t* suf = suffix_.data_as<int32_t>() + next_;
        uint64_t total = 0;
        for (size_t i = 0; i < n; ++i) {
            total += static_cast<uint64_t>(pre[i]) + static_cast<uint64_t>(suf[i]);
        }
        TARN_ASSIGN_OR_RETURN(const size_t arena, GrowArena(out, total));
        char* dst = out->mutable_string_data();
        uint32_t* off = out->mutable_offsets() + pos;
        const char* prev = last_.data();
        size_t prev_len = last_.size();
        size_t at = arena;
        for (size_t i = 0; i < n; ++i) {
            const auto p = static_cast<size_t>(pre[i]);
            const auto s = static_cast<size_t>(suf[i]);
            if (p > prev_len) {
                out->ResizeStringBytes(arena);
                return Status::Corruption("DELTA_BYTE_ARRAY value " + std::to_string(next_ + i) +
                                          " shares " + std::to_string(p) +
                                          " bytes with a previous value of " +
                                          std::to_string(prev_len));
            }
            if (fixed_width_ != 0 && p + s != fixed_width_) {
                out->ResizeStringBytes(arena);
                return Status::Corruption("DELTA_BYTE_ARRAY value of " + std::to_string(p + s) +
                                          " bytes in a FIXED_LEN_BYTE_ARRAY(" +
                                          std::to_string(fixed_width_) + ") column");
            }
            if (p > 0) std::memmove(dst + at, prev, p);
            if (s > 0) std::memcpy(dst + at + p, bytes_.data() + byte_pos_, s);
            byte_pos_ += s;
            prev = dst + at;
            prev_len = p + s;
            at += p + s;
            off[i + 1] = static_cast<uint32_t>(at);
        }
        last_.assign(prev, prev_len);
        next_ += n;
        return Status::Ok();
    }

    // FIXED_LEN_BYTE_ARRAY: the values side by side.
    Result<const uint8_t*> NextFixed(size_t n, uint8_t* scratch) override {
        tmp_.Reset();
        tmp_.Resize(n);
        TARN_RETURN_IF_ERROR(NextStrings(n, &tmp_, 0));
        if (n > 0) std::memcpy(scratch, tmp_.string_data(), n * fixed_width_);
        return scratch;
    }

private:
    const size_t fixed_width_;  // 0 for BYTE_ARRAY
    columnar::Buffer prefix_;
    columnar::Buffer suffix_;
    size_t count_ = 0;
    size_t next_ = 0;
    std::string_view bytes_;
    size_t byte_pos_ = 0;
    std::string last_;
    ColumnVector tmp_{DataType::Varbinary()};
};

const char* EncodingName(Encoding e) {
    switch (e) {
        case Encoding::kPlain:
            return "PLAIN";
        case Encoding::kPlainDictionary:
            return "PLAIN_DICTIONARY";
        case Encoding::kRle:
            return "RLE";
        case Encoding::kBitPacked:
            return "BIT_PACKED";
        case Encoding::kDeltaBinaryPacked:
            return "DELTA_BINARY_PACKED";
        case Encoding::kDeltaLengthByteArray:
            return "DELTA_LENGTH_BYTE_ARRAY";
        case Encoding::kDeltaByteArray:
            return "DELTA_BYTE_ARRAY";
        case Encoding::kRleDictionary:
            return "RLE_DICTIONARY";
        case Encoding::kByteStreamSplit:
            return "BYTE_STREAM_SPLIT";
    }
    return "unknown";
}

const char* TypeName(Type t) {
    switch (t) {
        case Type::kBoolean:
            return "BOOLEAN";
        case Type::kInt32:
            return "INT32";
        case Type::kInt64:
            return "INT64";
        case Type::kInt96:
            return "INT96";
        case Type::kFloat:
            return "FLOAT";
        case Type::kDouble:
            return "DOUBLE";
        case Type::kByteArray:
            return "BYTE_ARRAY";
        case Type::kFixedLenByteArray:
            return "FIXED_LEN_BYTE_ARRAY";
    }
    return "unknown";
}

}  // namespace

// ---- ValueDecoder ------------------------------------------------------------------------------

ValueDecoder::ValueDecoder(const ParquetColumn& column, std::string context)
    : column_(column),
      context_(std::move(context)),
      phys_width_(PhysicalWidth(column.physical_type, column.type_length)),
      direct_(column.conversion == ValueConversion::kNone && column.type.is_fixed_width() &&
              column.physical_type != Type::kByteArray &&
              column.physical_type != Type::kFixedLenByteArray &&
              static_cast<size_t>(column.type.FixedWidth()) == phys_width_),
      dictionary_(column.type),
      scratch_strings_(DataType::Varbinary()) {}

ValueDecoder::~ValueDecoder() = default;

Status ValueDecoder::Fail(const std::string& what) const {
    return Status::Corruption(context_ + ": " + what);
}

PhysicalDecoder* ValueDecoder::DecoderFor(Encoding encoding) {
    const Type t = column_.physical_type;
    switch (encoding) {
        case Encoding::kPlain:
            if (!plain_) plain_ = std::make_unique<PlainDecoder>(t, phys_width_);
            return plain_.get();
        case Encoding::kRle:
            if (t != Type::kBoolean) return nullptr;
            if (!rle_bool_) rle_bool_ = std::make_unique<RleBooleanDecoder>();
            return rle_bool_.get();
        case Encoding::kDeltaBinaryPacked:
            if (t != Type::kInt32 && t != Type::kInt64) return nullptr;
            if (!delta_) delta_ = std::make_unique<DeltaDecoder>(t == Type::kInt64);
            return delta_.get();
        case Encoding::kDeltaLengthByteArray:
            if (t != Type::kByteArray) return nullptr;
            if (!delta_length_) delta_length_ = std::make_unique<DeltaLengthDecoder>();
            return delta_length_.get();
        case Encoding::kDeltaByteArray:
            if (t != Type::kByteArray && t != Type::kFixedLenByteArray) return nullptr;
            if (!delta_bytes_) {
                delta_bytes_ = std::make_unique<DeltaByteArrayDecoder>(
                    t == Type::kFixedLenByteArray ? phys_width_ : 0);
            }
            return delta_bytes_.get();
        case Encoding::kByteStreamSplit:
            if (t != Type::kFloat && t != Type::kDouble && t != Type::kInt32 && t != Type::kInt64 &&
                t != Type::kFixedLenByteArray) {
                return nullptr;
            }
            if (!split_) split_ = std::make_unique<ByteStreamSplitDecoder>(phys_width_);
            return split_.get();
        default:
            return nullptr;
    }
}

Status ValueDecoder::SetDictionary(Encoding encoding, std::string_view data, size_t num_values) {
    if (encoding != Encoding::kPlain && encoding != Encoding::kPlainDictionary) {
        return Fail(std::string("dictionary page encoded ") + EncodingName(encoding) +
                    " (PLAIN expected)");
    }
    // Every value takes at least a byte (BYTE_ARRAY: its 4-byte length), so the count is checked
    // against the page before the dictionary is sized from it.
    const size_t min_bytes = phys_width_ == 0 ? 4 : phys_width_;
    if (column_.physical_type == Type::kBoolean ? num_values > data.size() * 8
                                                : num_values > data.size() / min_bytes) {
        return Fail("dictionary of " + std::to_string(num_values) + " values in a page of " +
                    std::to_string(data.size()) + " bytes");
    }
    PlainDecoder plain(column_.physical_type, phys_width_);
    TARN_RETURN_IF_ERROR(plain.Start(data, num_values));
    dictionary_.Reset();
    dictionary_.Resize(num_values);
    Status s = DecodeFrom(&plain, num_values, &dictionary_, 0);
    if (!s.ok())
        return s.code() == StatusCode::kCorruption ? Fail("dictionary: " + s.message()) : s;
    // Slack past the last value lets the string gather copy 16 bytes at a time.
    if (dictionary_.type().is_string_like()) {
        dictionary_.ReserveStringBytes(dictionary_.string_bytes() + 16);
    }
    has_dictionary_ = true;
    return Status::Ok();
}

Status ValueDecoder::StartPage(Encoding encoding, std::string_view data, size_t max_values) {
    encoding_ = encoding;
    current_ = nullptr;
    dictionary_page_ =
        encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary;
    if (dictionary_page_) {
        if (!has_dictionary_) return Fail("dictionary-encoded page without a dictionary page");
        if (data.empty()) {
            if (max_values == 0) {  // nothing to decode; Decode(0) is fine
                indices_.Reset(data, 0);
                return Status::Ok();
            }
            return Fail("dictionary-encoded page without its bit width");
        }
        const auto width = static_cast<uint8_t>(data[0]);
        if (width > 32) return Fail("dictionary index bit width " + std::to_string(width));
        indices_.Reset(data.substr(1), width);
        return Status::Ok();
    }
    current_ = DecoderFor(encoding);
    if (current_ == nullptr) {
        if (encoding == Encoding::kPlain) return Fail("no PLAIN decoder");
        return Status::Unimplemented(context_ + ": encoding " + EncodingName(encoding) + " (" +
                                     std::to_string(static_cast<int32_t>(encoding)) +
                                     ") is not supported for " + TypeName(column_.physical_type) +
                                     " values");
    }
    Status s = current_->Start(data, max_values);
    if (!s.ok()) return s.code() == StatusCode::kCorruption ? Fail(s.message()) : s;
    return Status::Ok();
}

Status ValueDecoder::Decode(size_t n, ColumnVector* out, size_t pos) {
    if (n == 0) return Status::Ok();
    Status s;
    if (dictionary_page_) {
        s = Gather(n, out, pos);
    } else if (current_ == nullptr) {
        s = Status::Internal("no page started");
    } else {
        s = DecodeFrom(current_, n, out, pos);
    }
    if (!s.ok() && s.code() == StatusCode::kCorruption) return Fail(s.message());
    if (!s.ok() && s.code() == StatusCode::kResourceExhausted) {
        return Status::ResourceExhausted(context_ + ": " + s.message());
    }
    return s;
}

Status ValueDecoder::DecodeFrom(PhysicalDecoder* src, size_t n, ColumnVector* out, size_t pos) {
    const Type phys = column_.physical_type;
    if (phys == Type::kByteArray) {
        if (column_.conversion == ValueConversion::kNone) {
            TARN_RETURN_IF_ERROR(src->NextStrings(n, out, pos));
            if (out->type_id() == TypeId::kVarchar) return CheckUtf8(*out, pos, n);
            return Status::Ok();
        }
        scratch_strings_.Reset();
        scratch_strings_.Resize(n);
        TARN_RETURN_IF_ERROR(src->NextStrings(n, &scratch_strings_, 0));
        return ConvertStrings(scratch_strings_, n, out, pos);
    }
    if (direct_) {
        uint8_t* dst = MutableRaw(out) + pos * phys_width_;
        TARN_ASSIGN_OR_RETURN(const uint8_t* p, src->NextFixed(n, dst));
        if (p != dst) std::memcpy(dst, p, n * phys_width_);
        if (out->type_id() == TypeId::kDecimal) return CheckDecimals(*out, pos, n);
        return Status::Ok();
    }
    scratch_.Resize(n * phys_width_);
    TARN_ASSIGN_OR_RETURN(const uint8_t* p, src->NextFixed(n, scratch_.mutable_data()));
    return ConvertFixed(p, n, out, pos);
}

Status ValueDecoder::CheckDecimals(const ColumnVector& out, size_t pos, size_t n) const {
    const int p = out.type().precision();
    const int128_t bound = kPow10[static_cast<size_t>(p)];
    size_t bad = n;
    if (p <= columnar::kMaxDecimal64Precision) {
        const int64_t b = static_cast<int64_t>(bound);
        const int64_t* v = out.Data<int64_t>() + pos;
        bool any = false;
        for (size_t i = 0; i < n; ++i) any |= (v[i] >= b) | (v[i] <= -b);
        if (!any) return Status::Ok();
        for (size_t i = 0; i < n && bad == n; ++i) {
            if (v[i] >= b || v[i] <= -b) bad = i;
        }
    } else {
        const int128_t* v = out.Data<int128_t>() + pos;
        for (size_t i = 0; i < n && bad == n; ++i) {
            if (v[i] >= bound || v[i] <= -bound) bad = i;
        }
        if (bad == n) return Status::Ok();
    }
    return Status::Corruption("a value does not fit DECIMAL(" + std::to_string(p) + ", " +
                              std::to_string(out.type().scale()) + ")");
}

Status ValueDecoder::CheckUtf8(const ColumnVector& out, size_t pos, size_t n) const {
    const uint32_t* off = out.offsets() + pos;
    const char* data = out.string_data();
    // Most text is ASCII: one pass over all the new bytes, then value by value only if needed.
    const auto* p = reinterpret_cast<const uint8_t*>(data + off[0]);
    const size_t len = off[n] - off[0];
    uint64_t high = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) high |= Load<uint64_t>(p + i);
    for (; i < len; ++i) high |= p[i];
    if ((high & 0x8080808080808080ull) == 0) return Status::Ok();
    for (size_t i = 0; i < n; ++i) {
        if (!IsValidUtf8(data + off[i], off[i + 1] - off[i])) {
            return Status::Corruption("a string value is not valid UTF-8");
        }
    }
    return Status::Ok();
}

Status ValueDecoder::ConvertStrings(const ColumnVector& in, size_t n, ColumnVector* out,
                                    size_t pos) {
    // BYTE_ARRAY decimals, big-endian two's complement.
    const uint32_t* off = in.offsets();
    const auto* bytes = reinterpret_cast<const uint8_t*>(in.string_data());
    const bool wide = out->type().precision() > columnar::kMaxDecimal64Precision;
    for (size_t i = 0; i < n; ++i) {
        const std::optional<int128_t> v = BigEndianToInt128(bytes + off[i], off[i + 1] - off[i]);
        if (!v) return Status::Corruption("a DECIMAL value is wider than 16 bytes");
        if (wide) {
            out->MutableData<int128_t>()[pos + i] = *v;
        } else {
            if (*v > INT64_MAX || *v < INT64_MIN) {
                return Status::Corruption("a value does not fit DECIMAL(" +
                                          std::to_string(out->type().precision()) + ", " +
                                          std::to_string(out->type().scale()) + ")");
            }
            out->MutableData<int64_t>()[pos + i] = static_cast<int64_t>(*v);
        }
    }
    return CheckDecimals(*out, pos, n);
}

Status ValueDecoder::ConvertFixed(const uint8_t* phys, size_t n, ColumnVector* out, size_t pos) {
    using VC = ValueConversion;
    const size_t w = phys_width_;
    switch (column_.conversion) {
        case VC::kNone: {  // FIXED_LEN_BYTE_ARRAY as bytes
            const uint64_t total = static_cast<uint64_t>(n) * w;
            TARN_ASSIGN_OR_RETURN(const size_t arena, GrowArena(out, total));
            if (total > 0) std::memcpy(out->mutable_string_data() + arena, phys, total);
            uint32_t* off = out->mutable_offsets() + pos;
            for (size_t i = 0; i < n; ++i) off[i + 1] = static_cast<uint32_t>(arena + (i + 1) * w);
            return Status::Ok();
        }
        case VC::kUuidToText: {
            const uint64_t total = static_cast<uint64_t>(n) * 36;
            TARN_ASSIGN_OR_RETURN(const size_t arena, GrowArena(out, total));
            char* dst = out->mutable_string_data() + arena;
            uint32_t* off = out->mutable_offsets() + pos;
            for (size_t i = 0; i < n; ++i) {
                UuidText(phys + i * 16, dst + i * 36);
                off[i + 1] = static_cast<uint32_t>(arena + (i + 1) * 36);
            }
            return Status::Ok();
        }
        case VC::kInt32ToInt8: {
            int8_t* dst = out->MutableData<int8_t>() + pos;
            for (size_t i = 0; i < n; ++i)
                dst[i] = static_cast<int8_t>(Load<int32_t>(phys + 4 * i));
            return Status::Ok();
        }
        case VC::kInt32ToInt16: {
            int16_t* dst = out->MutableData<int16_t>() + pos;
            for (size_t i = 0; i < n; ++i) {
                dst[i] = static_cast<int16_t>(Load<int32_t>(phys + 4 * i));
            }
            return Status::Ok();
        }
        case VC::kUint32ToInt16: {
            int16_t* dst = out->MutableData<int16_t>() + pos;
            for (size_t i = 0; i < n; ++i) {
                dst[i] = static_cast<int16_t>(static_cast<uint8_t>(Load<uint32_t>(phys + 4 * i)));
            }
            return Status::Ok();
        }
        case VC::kUint32ToInt32: {
            int32_t* dst = out->MutableData<int32_t>() + pos;
            for (size_t i = 0; i < n; ++i) {
                dst[i] = static_cast<int32_t>(static_cast<uint16_t>(Load<uint32_t>(phys + 4 * i)));
            }
            return Status::Ok();
        }
        case VC::kUint32ToInt64: {
            int64_t* dst = out->MutableData<int64_t>() + pos;
            for (size_t i = 0; i < n; ++i) dst[i] = Load<uint32_t>(phys + 4 * i);
            return Status::Ok();
        }
        case VC::kInt32ToInt64:
        case VC::kInt32ToInt64Micros: {
            int64_t* dst = out->MutableData<int64_t>() + pos;
            for (size_t i = 0; i < n; ++i) dst[i] = Load<int32_t>(phys + 4 * i);
            if (out->type_id() == TypeId::kDecimal) return CheckDecimals(*out, pos, n);
            return Status::Ok();
        }
        case VC::kUint64ToInt128: {
            int128_t* dst = out->MutableData<int128_t>() + pos;
            for (size_t i = 0; i < n; ++i)
                dst[i] = static_cast<int128_t>(Load<uint64_t>(phys + 8 * i));
            return Status::Ok();
        }
        case VC::kInt64ToInt128: {
            int128_t* dst = out->MutableData<int128_t>() + pos;
            for (size_t i = 0; i < n; ++i) dst[i] = Load<int64_t>(phys + 8 * i);
            return CheckDecimals(*out, pos, n);
        }
        case VC::kMillisToMicros: {
            int64_t* dst = out->MutableData<int64_t>() + pos;
            if (column_.physical_type == Type::kInt32) {
                for (size_t i = 0; i < n; ++i) {
                    dst[i] = static_cast<int64_t>(Load<int32_t>(phys + 4 * i)) * 1000;
                }
                return Status::Ok();
            }
            bool overflow = false;
            for (size_t i = 0; i < n; ++i) {
                overflow |=
                    __builtin_mul_overflow(Load<int64_t>(phys + 8 * i), int64_t{1000}, &dst[i]);
            }
            if (overflow) return Status::Corruption("a millisecond value overflows microseconds");
            return Status::Ok();
        }
        case VC::kNanosToMicros: {
            int64_t* dst = out->MutableData<int64_t>() + pos;
            for (size_t i = 0; i < n; ++i) dst[i] = FloorDiv1000(Load<int64_t>(phys + 8 * i));
            return Status::Ok();
        }
        case VC::kInt96ToMicros: {
            int64_t* dst = out->MutableData<int64_t>() + pos;
            for (size_t i = 0; i < n; ++i) {
                const int64_t nanos = Load<int64_t>(phys + 12 * i);
                const int64_t day = Load<int32_t>(phys + 12 * i + 8);
                const int128_t v =
                    static_cast<int128_t>(day - kJulianUnixEpochDay) * kMicrosPerDay +
                    FloorDiv1000(nanos);
                if (v > INT64_MAX || v < INT64_MIN) {
                    return Status::Corruption("an INT96 timestamp is out of range");
                }
                dst[i] = static_cast<int64_t>(v);
            }
            return Status::Ok();
        }
        case VC::kBigEndianDecimal: {
            const bool wide = out->type().precision() > columnar::kMaxDecimal64Precision;
            for (size_t i = 0; i < n; ++i) {
                const std::optional<int128_t> v = BigEndianToInt128(phys + i * w, w);
                if (!v) return Status::Corruption("a DECIMAL value is wider than 16 bytes");
                if (wide) {
                    out->MutableData<int128_t>()[pos + i] = *v;
                } else if (*v > INT64_MAX || *v < INT64_MIN) {
                    return Status::Corruption("a value does not fit DECIMAL(" +
                                              std::to_string(out->type().precision()) + ", " +
                                              std::to_string(out->type().scale()) + ")");
                } else {
                    out->MutableData<int64_t>()[pos + i] = static_cast<int64_t>(*v);
                }
            }
            return CheckDecimals(*out, pos, n);
        }
        case VC::kFloat16ToFloat: {
            float* dst = out->MutableData<float>() + pos;
            for (size_t i = 0; i < n; ++i) dst[i] = HalfToFloat(Load<uint16_t>(phys + 2 * i));
            return Status::Ok();
        }
    }
    return Status::Internal("unknown value conversion");
}

namespace {

template <class T>
void GatherFixed(const T* dict, const uint32_t* idx, size_t n, T* out) {
    for (size_t i = 0; i < n; ++i) out[i] = dict[idx[i]];
}

}  // namespace

Status ValueDecoder::Gather(size_t n, ColumnVector* out, size_t pos) {
    index_buf_.Resize(n * sizeof(uint32_t));
    auto* idx = index_buf_.mutable_data_as<uint32_t>();
    Status s = indices_.Get<uint32_t>(idx, n);
    if (!s.ok()) return Status::Corruption("dictionary indices: " + s.message());
    uint32_t max = 0;
    for (size_t i = 0; i < n; ++i) max = std::max(max, idx[i]);
    if (max >= dictionary_.length()) {
        return Status::Corruption("dictionary index " + std::to_string(max) +
                                  " is out of range (the dictionary has " +
                                  std::to_string(dictionary_.length()) + " values)");
    }
    if (dictionary_.type().is_fixed_width()) {
        switch (dictionary_.type().FixedWidth()) {
            case 1:
                GatherFixed(dictionary_.Data<uint8_t>(), idx, n, out->MutableData<uint8_t>() + pos);
                break;
            case 2:
                GatherFixed(dictionary_.Data<int16_t>(), idx, n, out->MutableData<int16_t>() + pos);
                break;
            case 4:
                GatherFixed(dictionary_.Data<int32_t>(), idx, n, out->MutableData<int32_t>() + pos);
                break;
            case 8:
                GatherFixed(dictionary_.Data<int64_t>(), idx, n, out->MutableData<int64_t>() + pos);
                break;
            default:
                GatherFixed(dictionary_.Data<int128_t>(), idx, n,
                            out->MutableData<int128_t>() + pos);
                break;
        }
        return Status::Ok();
    }
    const uint32_t* doff = dictionary_.offsets();
    uint64_t total = 0;
    for (size_t i = 0; i < n; ++i) total += doff[idx[i] + 1] - doff[idx[i]];
    // 16 bytes of slack let short values be copied as one 16-byte block.
    TARN_ASSIGN_OR_RETURN(const size_t arena, GrowArena(out, total + 16));
    char* dst = out->mutable_string_data();
    const char* src = dictionary_.string_data();
    uint32_t* off = out->mutable_offsets() + pos;
    size_t at = arena;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t b = doff[idx[i]];
        const uint32_t len = doff[idx[i] + 1] - b;
        if (len <= 16) {
            std::memcpy(dst + at, src + b, 16);
        } else {
            std::memcpy(dst + at, src + b, len);
        }
        at += len;
        off[i + 1] = static_cast<uint32_t>(at);
    }
    out->ResizeStringBytes(at);
    return Status::Ok();
}

}  // namespace tarn::format
