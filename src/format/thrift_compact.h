// Thrift compact protocol: the encoding of Parquet's footer (FileMetaData), page headers and
// column indexes. Only the parts Parquet uses are here: structs, fields, the base types, lists,
// sets and maps (no messages). Wire format: doc/specs/thrift-compact-protocol.md in Apache Thrift.
//
// ThriftCompactWriter appends to a caller-owned std::string; it cannot fail (misuse, such as
// ending a struct that was not begun, is a REQUIRES violation). ThriftCompactReader decodes a byte
// range it does not own and treats it as untrusted: every read is bounds-checked, and anything
// malformed (truncated data, an over-long varint, a length or element count larger than the bytes
// left, nesting deeper than kThriftMaxDepth, an unknown type) is a Status::Corruption naming the
// byte offset and what was expected; after an error the reader's position is unspecified and it
// should be discarded. Neither class allocates per field: binary values are returned as views into
// the input, and the stack of last field ids is a fixed array.
//
// Booleans: a bool field's value lives in its field header (type 1 = true, 2 = false), so after
// ReadFieldHeader returns a bool type, ReadBool returns that value without reading a byte. Bool
// elements of lists, sets and maps are one byte each. Like the Apache C++ and Java implementations,
// the writer writes element type 1 for bool collections and element bytes 1 (true) and 2 (false);
// the reader accepts element type 1 or 2 and bytes 0 or 2 for false.
//
// Thread-safety: none; each writer and reader is used by one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "format/varint.h"

namespace tarn::format {

// Compact protocol type ids, as they appear in field headers and collection headers.
enum class ThriftType : uint8_t {
    kStop = 0,
    kBoolTrue = 1,  // in a field header: a bool field whose value is true
    kBoolFalse = 2,
    kI8 = 3,
    kI16 = 4,
    kI32 = 5,
    kI64 = 6,
    kDouble = 7,
    kBinary = 8,  // binary and string
    kList = 9,
    kSet = 10,
    kMap = 11,
    kStruct = 12,
    kUuid = 13,  // 16 bytes; only skipped by the reader
};

inline bool IsThriftBool(ThriftType t) {
    return t == ThriftType::kBoolTrue || t == ThriftType::kBoolFalse;
}

// Short name for messages, e.g. "i32"; "unknown" for an out-of-range value.
std::string_view ThriftTypeName(ThriftType t);

// Structs (and collections) nest at most this deep, for both writer and reader.
inline constexpr int kThriftMaxDepth = 64;

struct ThriftFieldHeader {
    int16_t id = 0;
    ThriftType type = ThriftType::kStop;  // kStop: the end of the struct; id is then 0
};

struct ThriftListHeader {
    ThriftType elem_type = ThriftType::kStop;  // bool elements are reported as kBoolTrue
    uint32_t size = 0;
};

struct ThriftMapHeader {
    ThriftType key_type = ThriftType::kStop;  // both kStop for an empty map
    ThriftType value_type = ThriftType::kStop;
    uint32_t size = 0;
};

class ThriftCompactWriter {
public:
    // Does not take ownership of `out`, which must outlive the writer; bytes are appended.
    explicit ThriftCompactWriter(std::string* out) : out_(out) {}

    // A struct: StructBegin, fields, StructEnd (which writes the stop field). The top-level
    // struct is begun like any other. REQUIRES: fewer than kThriftMaxDepth structs open.
    void StructBegin();
    void StructEnd();

    // A field header; the value follows with one of the value writers below.
    // REQUIRES: inside a struct; type is not a bool type (use BoolField) and not kStop.
    void FieldBegin(int16_t id, ThriftType type);
    // A bool field: header only, the value is folded into the type.
    void BoolField(int16_t id, bool value);

    // Values: of a field (after FieldBegin) or elements of a collection.
    void I8(int8_t v) { out_->push_back(static_cast<char>(v)); }
    void I16(int16_t v) { Varint(ZigZag(v)); }
    void I32(int32_t v) { Varint(ZigZag(v)); }
    void I64(int64_t v) { Varint(ZigZag(v)); }
    void Double(double v);
    void Binary(std::string_view v);
    // A bool element of a list, set or map (not a field: use BoolField).
    void Bool(bool v) { out_->push_back(v ? 1 : 2); }

    // Collection headers; `size` elements (pairs for a map) follow. REQUIRES: size <= INT32_MAX.
    void ListBegin(ThriftType elem_type, uint32_t size);
    void SetBegin(ThriftType elem_type, uint32_t size) { ListBegin(elem_type, size); }
    void MapBegin(ThriftType key_type, ThriftType value_type, uint32_t size);

    // Shorthands for a field header and its value.
    void I32Field(int16_t id, int32_t v) {
        FieldBegin(id, ThriftType::kI32);
        I32(v);
    }
    void I64Field(int16_t id, int64_t v) {
        FieldBegin(id, ThriftType::kI64);
        I64(v);
    }
    void BinaryField(int16_t id, std::string_view v) {
        FieldBegin(id, ThriftType::kBinary);
        Binary(v);
    }

    // An unsigned LEB128 varint.
    void Varint(uint64_t v);
    static uint64_t ZigZag(int64_t v) { return bits::ZigZagEncode(v); }

    int depth() const { return depth_; }

private:
    void FieldHeader(int16_t id, uint8_t type);

    std::string* out_;
    int depth_ = 0;
    int16_t last_id_ = 0;                                   // of the innermost open struct
    std::array<int16_t, kThriftMaxDepth> saved_last_id_{};  // of the enclosing structs
};

class ThriftCompactReader {
public:
    // Does not copy the bytes; they must outlive the reader and every view it returns.
    explicit ThriftCompactReader(std::span<const uint8_t> data)
        : begin_(data.data()), pos_(data.data()), end_(data.data() + data.size()) {}
    explicit ThriftCompactReader(std::string_view data)
        : ThriftCompactReader(std::span<const uint8_t>(
              reinterpret_cast<const uint8_t*>(data.data()), data.size())) {}

    // Enter a struct (the top-level one too) / leave it after ReadFieldHeader returned kStop.
    // Corruption if nesting would exceed kThriftMaxDepth.
    Status StructBegin();
    // REQUIRES: a matching StructBegin.
    void StructEnd();

    // The next field's id and type, or type kStop at the end of the struct.
    Result<ThriftFieldHeader> ReadFieldHeader();

    Result<int8_t> ReadI8();
    Result<int16_t> ReadI16();
    Result<int32_t> ReadI32();
    Result<int64_t> ReadI64();
    Result<double> ReadDouble();
    // A view into the input bytes.
    Result<std::string_view> ReadBinary();
    // The value of a bool field whose header was just read, else one bool element byte.
    Result<bool> ReadBool();

    // Collection headers. Corruption if the size exceeds the bytes left (every element takes at
    // least one byte) or an element type is unknown.
    Result<ThriftListHeader> ReadListHeader();
    Result<ThriftListHeader> ReadSetHeader() { return ReadListHeader(); }
    Result<ThriftMapHeader> ReadMapHeader();

    // Skips one value of `type`: a field's value after its header (for bools: the header's
    // value) or one collection element. Recursive for structs and collections, within the depth
    // limit.
    Status Skip(ThriftType type);

    // Byte offset of the next read from the start of the input.
    size_t position() const { return static_cast<size_t>(pos_ - begin_); }
    size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
    int depth() const { return depth_; }

private:
    Result<uint64_t> ReadVarint(std::string_view what);
    Result<uint64_t> ReadVarintSlow(std::string_view what);
    Result<int64_t> ReadZigZag(std::string_view what, int64_t min, int64_t max);
    Result<uint8_t> ReadByte(std::string_view what);
    Result<uint32_t> ReadSize(std::string_view what, uint64_t min_bytes_each);
    Result<ThriftType> ElementType(uint8_t nibble, size_t at);
    Status SkipBytes(size_t n, std::string_view what);
    Status SkipStruct();
    Status SkipList();
    Status SkipMap();
    Status Enter();
    void Leave() { --depth_; }
    Status Corrupt(size_t at, std::string_view what) const;

    const uint8_t* begin_;
    const uint8_t* pos_;
    const uint8_t* end_;
    int depth_ = 0;
    int16_t last_id_ = 0;
    bool has_pending_bool_ = false;
    bool pending_bool_ = false;
    std::array<int16_t, kThriftMaxDepth> saved_last_id_{};
};

}  // namespace tarn::format
