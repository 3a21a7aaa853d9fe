// ColumnVector: the values of one column (or nested member) for the rows of a batch, in columnar
// buffers. It is one concrete class for every type: per-value access is an inline load from a
// typed buffer, never a virtual call, and appending a value never allocates per value (buffers
// grow geometrically and are kept across Reset()).
//
// Layout, by type (n = length()):
//   validity   bit-packed uint64_t words, bit i of the column is bit (i % 64) of word i / 64
//              (LSB first; as little-endian bytes this is Arrow's validity bitmap), 1 = valid.
//              all_valid() == true means "no nulls" and the bitmap is not in use (validity_bits()
//              is nullptr): all-valid columns never touch it. Otherwise the bitmap holds at least
//              ceil(n / 64) words; bits at positions >= n are unspecified.
//   fixed      BOOLEAN, INT*, FLOAT, DOUBLE, DECIMAL, DATE, TIMESTAMP: one values buffer of
//              n * type().FixedWidth() bytes, read with Data<T>() where T is the physical type
//              (bool or uint8_t, int8_t .. int64_t, float, double, int64_t or int128_t for
//              DECIMAL by precision, int32_t for DATE, int64_t for TIMESTAMP). BOOLEAN bytes are
//              always 0 or 1.
//   strings    VARCHAR, VARBINARY: n + 1 uint32_t offsets and one contiguous byte arena; value i
//              is bytes [offsets[i], offsets[i+1]). VARCHAR values are valid UTF-8.
//   LIST       n + 1 uint32_t offsets into child(0), the elements.
//   MAP        n + 1 uint32_t offsets into child(0), the keys, and child(1), the values (entry j
//              is (keys[j], values[j])); keys are never null.
//   STRUCT     one child per field, each of length n; the struct's own validity is separate
//              from its children's.
//
// Invariants (checked by Validate()):
//   - offsets[0] == 0, offsets are non-decreasing, and offsets[n] equals the arena size
//     (strings) or the child length (LIST, MAP): the arena and children hold exactly the values
//     of this vector, nothing more.
//   - Every slot, null or not, has a value present: a fixed-width null slot holds some value
//     (unspecified; zero when made by AppendNull or Resize), a null string/list/map slot has
//     offsets (usually an empty range, but any in-bounds range is allowed), a null struct slot
//     has a slot in every child.
//   - A child whose Field is not nullable has no nulls at all, including under null parent
//     slots: AppendNull on a STRUCT appends AppendDefault() values to such children.
//   - DECIMAL values of valid slots fit the precision (|v| < 10^precision).
//
// Preconditions of the fast accessors (type matches, index in range) are checked with assert in
// debug builds only. The arena and child lengths are limited to kMaxOffset (offsets are uint32_t);
// exceeding it is a caller bug that aborts with a message even in release builds, so readers of
// untrusted input end a batch early (see string_bytes()).
//
// Thread-safety: none for writing; a const ColumnVector may be read from many threads.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/data_type.h"
#include "common/status.h"

namespace tarn::columnar {

// The largest arena size or child length one vector can address.
inline constexpr size_t kMaxOffset = UINT32_MAX;

// Number of uint64_t validity words that hold n bits.
inline constexpr size_t ValidityWords(size_t n) { return (n + 63) / 64; }

class ColumnVector {
public:
    // An empty vector of `type`, with empty child vectors for nested types.
    // REQUIRES: type.Validate().ok().
    explicit ColumnVector(DataType type);
    ColumnVector(ColumnVector&&) noexcept = default;
    ColumnVector& operator=(ColumnVector&&) noexcept = default;
    ColumnVector(const ColumnVector&) = delete;
    ColumnVector& operator=(const ColumnVector&) = delete;

    const DataType& type() const { return type_; }
    TypeId type_id() const { return type_.id(); }
    size_t length() const { return length_; }

    // ---- Size --------------------------------------------------------------------------------
    // Capacity for n slots in the validity, values and offsets buffers (children of a STRUCT
    // too; not LIST/MAP children or string bytes, whose sizes are not known from n).
    void Reserve(size_t n);
    // Sets length() to n. New slots are valid and hold zero / an empty string, list or map / a
    // struct of such (children of a STRUCT are resized too). Shrinking drops the last slots and
    // the string bytes or child elements they referenced.
    void Resize(size_t n);
    // length() = 0, no nulls, children reset; every allocation is kept for reuse.
    void Reset();

    // ---- Validity ----------------------------------------------------------------------------
    bool all_valid() const { return all_valid_; }
    bool IsValid(size_t i) const {
        assert(i < length_);
        return all_valid_ || ((validity_.data_as<uint64_t>()[i >> 6] >> (i & 63)) & 1) != 0;
    }
    bool IsNull(size_t i) const { return !IsValid(i); }
    // REQUIRES: i < length(). The value of a slot that is set null is kept but unspecified.
    void SetNull(size_t i);
    void SetValid(size_t i);
    // O(length / 64); 0 without touching memory when all_valid().
    size_t NullCount() const;
    // The bitmap, or nullptr when all_valid().
    const uint64_t* validity_bits() const {
        return all_valid_ ? nullptr : validity_.data_as<uint64_t>();
    }
    // Puts the bitmap in use (all_valid() becomes false; the bits keep the current validity) and
    // returns its ValidityWords(length()) words for bulk writing, e.g. from definition levels.
    // Invalidated by any call that changes length().
    uint64_t* MutableValidityBits();
    // Marks every slot valid and stops using the bitmap.
    void SetAllValid() { all_valid_ = true; }
    // Stops using the bitmap when it has no nulls (after bulk writing), so readers take the fast
    // path again.
    void CompactValidity() {
        if (!all_valid_ && NullCount() == 0) all_valid_ = true;
    }

    // ---- Fixed-width values ------------------------------------------------------------------
    // REQUIRES: type().is_fixed_width() and sizeof(T) == type().FixedWidth().
    template <class T>
    const T* Data() const {
        assert(type_.is_fixed_width() && sizeof(T) == width_);
        return data_.data_as<T>();
    }
    template <class T>
    T* MutableData() {
        assert(type_.is_fixed_width() && sizeof(T) == width_);
        return data_.mutable_data_as<T>();
    }
    template <class T>
    T Value(size_t i) const {
        assert(i < length_);
        return Data<T>()[i];
    }
    // Appends a valid value. REQUIRES: as Data<T>().
    template <class T>
    void Append(T v) {
        assert(type_.is_fixed_width() && sizeof(T) == width_);
        data_.AppendValue(v);
        PushValidity(true);
        ++length_;
    }

    // Any type: appends a null slot (see the invariants for what it holds).
    void AppendNull();
    // Any type: appends a valid slot holding zero, false, "", an empty list or map, or a struct
    // whose children hold their defaults.
    void AppendDefault();

    // ---- VARCHAR / VARBINARY -----------------------------------------------------------------
    // REQUIRES: type().is_string_like() and i < length().
    std::string_view GetString(size_t i) const {
        assert(type_.is_string_like() && i < length_);
        const uint32_t* off = data_.data_as<uint32_t>();
        return {reinterpret_cast<const char*>(bytes_.data()) + off[i], off[i + 1] - off[i]};
    }
    // Appends a valid value, copying `s` into the arena. REQUIRES: type().is_string_like();
    // string_bytes() + s.size() <= kMaxOffset (aborts otherwise).
    void AppendString(std::string_view s) {
        assert(type_.is_string_like());
        const size_t end = bytes_.size() + s.size();
        if (end > kMaxOffset) OffsetOverflow();
        bytes_.Append(s.data(), s.size());
        data_.AppendValue(static_cast<uint32_t>(end));
        PushValidity(true);
        ++length_;
    }
    // Room for n arena bytes in total.
    void ReserveStringBytes(size_t n) { bytes_.Reserve(n); }
    // The arena size; equals offsets()[length()].
    size_t string_bytes() const { return bytes_.size(); }
    const char* string_data() const { return reinterpret_cast<const char*>(bytes_.data()); }
    // For bulk decoding: size the arena with ResizeStringBytes, write bytes and offsets directly.
    char* mutable_string_data() { return reinterpret_cast<char*>(bytes_.mutable_data()); }
    // New bytes are unspecified. REQUIRES: n <= kMaxOffset.
    void ResizeStringBytes(size_t n) {
        assert(n <= kMaxOffset);
        bytes_.Resize(n);
    }

    // ---- Offsets (VARCHAR, VARBINARY, LIST, MAP) ---------------------------------------------
    // length() + 1 entries. REQUIRES: a type with offsets.
    const uint32_t* offsets() const {
        assert(HasOffsets());
        return data_.data_as<uint32_t>();
    }
    uint32_t* mutable_offsets() {
        assert(HasOffsets());
        return data_.mutable_data_as<uint32_t>();
    }
    bool HasOffsets() const { return type_.is_string_like() || IsListLike(); }

    // ---- Nested ------------------------------------------------------------------------------
    size_t num_children() const { return children_.size(); }
    // STRUCT: one per field; LIST: child(0) = elements; MAP: child(0) = keys, child(1) = values.
    ColumnVector& child(size_t i) {
        assert(i < children_.size());
        return children_[i];
    }
    const ColumnVector& child(size_t i) const {
        assert(i < children_.size());
        return children_[i];
    }
    // LIST/MAP: the number of elements of slot i.
    uint32_t ListLength(size_t i) const {
        assert(IsListLike() && i < length_);
        const uint32_t* off = data_.data_as<uint32_t>();
        return off[i + 1] - off[i];
    }
    // LIST/MAP: appends a valid slot holding the elements appended to the child(ren) since the
    // previous slot. REQUIRES: for MAP, keys and values have the same length; child length <=
    // kMaxOffset (aborts otherwise).
    void AppendListEnd();
    // STRUCT: appends a valid slot whose member values were appended to every child.
    // REQUIRES: each child's length() == length() + 1.
    void AppendStructEnd() {
        assert(type_id() == TypeId::kStruct);
        PushValidity(true);
        ++length_;
    }

    // ---- Checking ----------------------------------------------------------------------------
    // OK, or InvalidArgument naming the column (`path`, e.g. "a.b") and the first broken
    // invariant, for this vector and every child. Reads every offset, DECIMAL value and VARCHAR
    // byte: meant for tests and for readers of untrusted files, once per batch.
    Status Validate(std::string_view path = "") const;

private:
    bool IsListLike() const { return type_id() == TypeId::kList || type_id() == TypeId::kMap; }
    // Records the validity of the slot being appended at index length_ (before ++length_).
    void PushValidity(bool valid) {
        if (all_valid_) {
            if (valid) return;
            MaterializeValidity();
        }
        const size_t words = (length_ >> 6) + 1;
        if (validity_.size() < words * 8) validity_.Resize(words * 8);
        uint64_t& word = validity_.mutable_data_as<uint64_t>()[length_ >> 6];
        const uint64_t bit = uint64_t{1} << (length_ & 63);
        word = valid ? (word | bit) : (word & ~bit);
    }
    // Puts the bitmap in use with all of [0, length_) valid.
    void MaterializeValidity();
    [[noreturn]] static void OffsetOverflow();

    DataType type_;
    size_t length_ = 0;
    uint8_t width_ = 0;  // type_.FixedWidth()
    bool all_valid_ = true;
    Buffer validity_;
    Buffer data_;   // fixed-width values, or length_ + 1 offsets
    Buffer bytes_;  // string arena
    std::vector<ColumnVector> children_;
};

}  // namespace tarn::columnar
