#include "format/thrift_compact.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <limits>

namespace tarn::format {

namespace {

constexpr uint8_t kMaxTypeId = static_cast<uint8_t>(ThriftType::kUuid);
constexpr int kMaxVarintBytes = 10;

uint64_t LoadLittleEndian64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

}  // namespace

std::string_view ThriftTypeName(ThriftType t) {
    switch (t) {
        case ThriftType::kStop:
            return "stop";
        case ThriftType::kBoolTrue:
            return "bool(true)";
        case ThriftType::kBoolFalse:
            return "bool(false)";
        case ThriftType::kI8:
            return "i8";
        case ThriftType::kI16:
            return "i16";
        case ThriftType::kI32:
            return "i32";
        case ThriftType::kI64:
            return "i64";
        case ThriftType::kDouble:
            return "double";
        case ThriftType::kBinary:
            return "binary";
        case ThriftType::kList:
            return "list";
        case ThriftType::kSet:
            return "set";
        case ThriftType::kMap:
            return "map";
        case ThriftType::kStruct:
            return "struct";
        case ThriftType::kUuid:
            return "uuid";
    }
    return "unknown";
}

// ---- Writer ----

void ThriftCompactWriter::StructBegin() {
    assert(depth_ < kThriftMaxDepth);
    saved_last_id_[depth_++] = last_id_;
    last_id_ = 0;
}

void ThriftCompactWriter::StructEnd() {
    assert(depth_ > 0);
    out_->push_back(static_cast<char>(ThriftType::kStop));
    last_id_ = saved_last_id_[--depth_];
}

void ThriftCompactWriter::FieldBegin(int16_t id, ThriftType type) {
    assert(type != ThriftType::kStop && !IsThriftBool(type));
    FieldHeader(id, static_cast<uint8_t>(type));
}

void ThriftCompactWriter::BoolField(int16_t id, bool value) {
    FieldHeader(id, static_cast<uint8_t>(value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse));
}

void ThriftCompactWriter::FieldHeader(int16_t id, uint8_t type) {
    assert(depth_ > 0);
    const int delta = int{id} - int{last_id_};
    if (delta > 0 && delta <= 15) {
        out_->push_back(static_cast<char>((delta << 4) | type));
    } else {
        out_->push_back(static_cast<char>(type));
        I16(id);
    }
    last_id_ = id;
}

void ThriftCompactWriter::Double(double v) {
    uint64_t bits = std::bit_cast<uint64_t>(v);
    char bytes[8];
    for (char& b : bytes) {
        b = static_cast<char>(bits & 0xFF);
        bits >>= 8;
    }
    out_->append(bytes, sizeof(bytes));
}

void ThriftCompactWriter::Binary(std::string_view v) {
    Varint(v.size());
    out_->append(v);
}

void ThriftCompactWriter::ListBegin(ThriftType elem_type, uint32_t size) {
    assert(size <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max()));
    // Bool collections carry type 1 (as the Apache C++ and Java writers do).
    const uint8_t type =
        static_cast<uint8_t>(IsThriftBool(elem_type) ? ThriftType::kBoolTrue : elem_type);
    if (size < 15) {
        out_->push_back(static_cast<char>((size << 4) | type));
    } else {
        out_->push_back(static_cast<char>(0xF0 | type));
        Varint(size);
    }
}

void ThriftCompactWriter::MapBegin(ThriftType key_type, ThriftType value_type, uint32_t size) {
    assert(size <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max()));
    if (size == 0) {
        out_->push_back(0);
        return;
    }
    Varint(size);
    auto nibble = [](ThriftType t) {
        return static_cast<uint8_t>(IsThriftBool(t) ? ThriftType::kBoolTrue : t);
    };
    out_->push_back(static_cast<char>((nibble(key_type) << 4) | nibble(value_type)));
}

void ThriftCompactWriter::Varint(uint64_t v) { bits::AppendUleb128(v, out_); }

// ---- Reader ----

Status ThriftCompactReader::Corrupt(size_t at, std::string_view what) const {
    std::string msg = "thrift compact: ";
    msg.append(what);
    msg.append(" at byte ");
    msg.append(std::to_string(at));
    msg.append(" of ");
    msg.append(std::to_string(end_ - begin_));
    return Status::Corruption(std::move(msg));
}

Status ThriftCompactReader::Enter() {
    if (depth_ >= kThriftMaxDepth) {
        return Corrupt(position(), "nesting deeper than " + std::to_string(kThriftMaxDepth));
    }
    ++depth_;
    return Status::Ok();
}

Status ThriftCompactReader::StructBegin() {
    has_pending_bool_ = false;
    TARN_RETURN_IF_ERROR(Enter());
    saved_last_id_[depth_ - 1] = last_id_;
    last_id_ = 0;
    return Status::Ok();
}

void ThriftCompactReader::StructEnd() {
    assert(depth_ > 0);
    last_id_ = saved_last_id_[depth_ - 1];
    Leave();
}

Result<uint8_t> ThriftCompactReader::ReadByte(std::string_view what) {
    if (pos_ == end_) return Corrupt(position(), std::string("end of data, expected ") += what);
    return *pos_++;
}

Result<uint64_t> ThriftCompactReader::ReadVarint(std::string_view what) {
    if (pos_ != end_ && *pos_ < 0x80) return uint64_t{*pos_++};  // the common one-byte case
    return ReadVarintSlow(what);
}

Result<uint64_t> ThriftCompactReader::ReadVarintSlow(std::string_view what) {
    const uint8_t* p = pos_;
    uint64_t result = 0;
    for (int i = 0; i < kMaxVarintBytes; ++i) {
        if (p == end_) {
            return Corrupt(position(), std::string("truncated varint, expected ") += what);
        }
        const uint8_t b = *p++;
        result |= uint64_t{b & 0x7Fu} << (7 * i);
        if (b < 0x80) {
            if (i == kMaxVarintBytes - 1 && b > 1) {
                return Corrupt(position(),
                               std::string("varint overflows 64 bits, expected ") += what);
            }
            pos_ = p;
            return result;
        }
    }
    return Corrupt(position(), std::string("varint longer than 10 bytes, expected ") += what);
}

Result<int64_t> ThriftCompactReader::ReadZigZag(std::string_view what, int64_t min, int64_t max) {
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint(what));
    const int64_t v = bits::ZigZagDecode(raw);
    if (v < min || v > max) return Corrupt(at, std::string(what) += " out of range");
    return v;
}

Result<ThriftFieldHeader> ThriftCompactReader::ReadFieldHeader() {
    has_pending_bool_ = false;
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint8_t byte, ReadByte("field header"));
    const uint8_t type = byte & 0x0F;
    if (type == 0) {
        if (byte != 0) return Corrupt(at, "field header with type stop and a nonzero delta");
        return ThriftFieldHeader{};
    }
    if (type > kMaxTypeId) return Corrupt(at, "unknown field type " + std::to_string(type));
    int id;
    if (const int delta = byte >> 4; delta != 0) {
        id = last_id_ + delta;
        if (id > std::numeric_limits<int16_t>::max()) return Corrupt(at, "field id overflows i16");
    } else {
        TARN_ASSIGN_OR_RETURN(int64_t long_id, ReadZigZag("field id (i16)", INT16_MIN, INT16_MAX));
        id = static_cast<int>(long_id);
    }
    last_id_ = static_cast<int16_t>(id);
    const auto t = static_cast<ThriftType>(type);
    if (IsThriftBool(t)) {
        has_pending_bool_ = true;
        pending_bool_ = t == ThriftType::kBoolTrue;
    }
    return ThriftFieldHeader{static_cast<int16_t>(id), t};
}

Result<int8_t> ThriftCompactReader::ReadI8() {
    TARN_ASSIGN_OR_RETURN(uint8_t b, ReadByte("i8"));
    return static_cast<int8_t>(b);
}

Result<int16_t> ThriftCompactReader::ReadI16() {
    TARN_ASSIGN_OR_RETURN(int64_t v, ReadZigZag("i16", INT16_MIN, INT16_MAX));
    return static_cast<int16_t>(v);
}

Result<int32_t> ThriftCompactReader::ReadI32() {
    TARN_ASSIGN_OR_RETURN(int64_t v, ReadZigZag("i32", INT32_MIN, INT32_MAX));
    return static_cast<int32_t>(v);
}

Result<int64_t> ThriftCompactReader::ReadI64() { return ReadZigZag("i64", INT64_MIN, INT64_MAX); }

Result<double> ThriftCompactReader::ReadDouble() {
    if (remaining() < 8) return Corrupt(position(), "end of data, expected double (8 bytes)");
    const uint64_t bits = LoadLittleEndian64(pos_);
    pos_ += 8;
    return std::bit_cast<double>(bits);
}

Result<std::string_view> ThriftCompactReader::ReadBinary() {
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint64_t len, ReadVarint("binary length"));
    if (len > remaining()) {
        return Corrupt(at, "binary length " + std::to_string(len) + " past the end");
    }
    std::string_view v(reinterpret_cast<const char*>(pos_), len);
    pos_ += len;
    return v;
}

Result<bool> ThriftCompactReader::ReadBool() {
    if (has_pending_bool_) {
        has_pending_bool_ = false;
        return pending_bool_;
    }
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint8_t b, ReadByte("bool"));
    if (b > 2) return Corrupt(at, "bool element byte " + std::to_string(b));
    return b == 1;
}

Result<uint32_t> ThriftCompactReader::ReadSize(std::string_view what, uint64_t min_bytes_each) {
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint64_t size, ReadVarint(what));
    if (size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) ||
        size > remaining() / min_bytes_each) {
        return Corrupt(at, std::string(what) + " " + std::to_string(size) + " past the end");
    }
    return static_cast<uint32_t>(size);
}

Result<ThriftType> ThriftCompactReader::ElementType(uint8_t nibble, size_t at) {
    if (nibble == 0 || nibble > kMaxTypeId) {
        return Corrupt(at, "unknown element type " + std::to_string(nibble));
    }
    const auto t = static_cast<ThriftType>(nibble);
    return IsThriftBool(t) ? ThriftType::kBoolTrue : t;
}

Result<ThriftListHeader> ThriftCompactReader::ReadListHeader() {
    has_pending_bool_ = false;
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint8_t byte, ReadByte("list header"));
    ThriftListHeader h;
    h.size = byte >> 4;
    if (h.size == 15) {
        TARN_ASSIGN_OR_RETURN(h.size, ReadSize("list size", 1));
    } else if (h.size > remaining()) {
        return Corrupt(at, "list size " + std::to_string(h.size) + " past the end");
    }
    TARN_ASSIGN_OR_RETURN(h.elem_type, ElementType(byte & 0x0F, at));
    return h;
}

Result<ThriftMapHeader> ThriftCompactReader::ReadMapHeader() {
    has_pending_bool_ = false;
    ThriftMapHeader h;
    TARN_ASSIGN_OR_RETURN(h.size, ReadSize("map size", 2));
    if (h.size == 0) return h;
    const size_t at = position();
    TARN_ASSIGN_OR_RETURN(uint8_t types, ReadByte("map key and value types"));
    TARN_ASSIGN_OR_RETURN(h.key_type, ElementType(types >> 4, at));
    TARN_ASSIGN_OR_RETURN(h.value_type, ElementType(types & 0x0F, at));
    return h;
}

// ---- Skip ----

Status ThriftCompactReader::SkipBytes(size_t n, std::string_view what) {
    if (n > remaining()) return Corrupt(position(), std::string("end of data, expected ") += what);
    pos_ += n;
    return Status::Ok();
}

Status ThriftCompactReader::Skip(ThriftType type) {
    switch (type) {
        case ThriftType::kBoolTrue:
        case ThriftType::kBoolFalse:
            return ReadBool().status();
        case ThriftType::kI8:
            return SkipBytes(1, "i8");
        case ThriftType::kI16:
        case ThriftType::kI32:
        case ThriftType::kI64:
            return ReadVarint(ThriftTypeName(type)).status();
        case ThriftType::kDouble:
            return SkipBytes(8, "double (8 bytes)");
        case ThriftType::kUuid:
            return SkipBytes(16, "uuid (16 bytes)");
        case ThriftType::kBinary:
            return ReadBinary().status();
        case ThriftType::kList:
        case ThriftType::kSet:
            return SkipList();
        case ThriftType::kMap:
            return SkipMap();
        case ThriftType::kStruct:
            return SkipStruct();
        case ThriftType::kStop:
            break;
    }
    return Corrupt(position(),
                   "cannot skip a value of type " + std::to_string(static_cast<int>(type)));
}

Status ThriftCompactReader::SkipStruct() {
    TARN_RETURN_IF_ERROR(StructBegin());
    for (;;) {
        TARN_ASSIGN_OR_RETURN(ThriftFieldHeader f, ReadFieldHeader());
        if (f.type == ThriftType::kStop) break;
        TARN_RETURN_IF_ERROR(Skip(f.type));
    }
    StructEnd();
    return Status::Ok();
}

Status ThriftCompactReader::SkipList() {
    TARN_ASSIGN_OR_RETURN(ThriftListHeader h, ReadListHeader());
    TARN_RETURN_IF_ERROR(Enter());
    for (uint32_t i = 0; i < h.size; ++i) TARN_RETURN_IF_ERROR(Skip(h.elem_type));
    Leave();
    return Status::Ok();
}

Status ThriftCompactReader::SkipMap() {
    TARN_ASSIGN_OR_RETURN(ThriftMapHeader h, ReadMapHeader());
    TARN_RETURN_IF_ERROR(Enter());
    for (uint32_t i = 0; i < h.size; ++i) {
        TARN_RETURN_IF_ERROR(Skip(h.key_type));
        TARN_RETURN_IF_ERROR(Skip(h.value_type));
    }
    Leave();
    return Status::Ok();
}

}  // namespace tarn::format
