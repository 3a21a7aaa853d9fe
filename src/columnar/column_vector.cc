#include "columnar/column_vector.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace tarn::columnar {

namespace {

// Sets bits [begin, end) of `words` to 1.
void SetBits(uint64_t* words, size_t begin, size_t end) {
    while (begin < end && (begin & 63) != 0) {
        words[begin >> 6] |= uint64_t{1} << (begin & 63);
        ++begin;
    }
    if (begin < end) {
        const size_t full_words = (end - begin) >> 6;
        std::fill_n(words + (begin >> 6), full_words, ~uint64_t{0});
        begin += full_words * 64;
    }
    for (; begin < end; ++begin) words[begin >> 6] |= uint64_t{1} << (begin & 63);
}

}  // namespace

ColumnVector::ColumnVector(DataType type)
    : type_(std::move(type)), width_(static_cast<uint8_t>(type_.FixedWidth())) {
    if (HasOffsets()) data_.AppendValue(uint32_t{0});
    children_.reserve(type_.num_fields());
    for (const Field& f : type_.fields()) children_.emplace_back(f.type);
}

void ColumnVector::Reserve(size_t n) {
    validity_.Reserve(ValidityWords(n) * 8);
    if (HasOffsets()) {
        data_.Reserve((n + 1) * sizeof(uint32_t));
    } else {
        data_.Reserve(n * width_);
    }
    if (type_id() == TypeId::kStruct) {
        for (ColumnVector& c : children_) c.Reserve(n);
    }
}

void ColumnVector::Resize(size_t n) {
    const size_t old = length_;
    if (!all_valid_) {
        validity_.Resize(ValidityWords(n) * 8);
        if (n > old) SetBits(validity_.mutable_data_as<uint64_t>(), old, n);
    }
    if (type_.is_fixed_width()) {
        data_.ResizeZeroed(n * width_);
    } else if (HasOffsets()) {
        const uint32_t last = data_.data_as<uint32_t>()[old];
        data_.Resize((n + 1) * sizeof(uint32_t));
        uint32_t* off = data_.mutable_data_as<uint32_t>();
        if (n > old) {
            std::fill(off + old + 1, off + n + 1, last);
        } else if (type_.is_string_like()) {
            bytes_.Resize(off[n]);
        } else {
            for (ColumnVector& c : children_) c.Resize(off[n]);
        }
    } else {  // STRUCT
        for (ColumnVector& c : children_) c.Resize(n);
    }
    length_ = n;
}

void ColumnVector::Reset() {
    length_ = 0;
    all_valid_ = true;
    validity_.Reset();
    data_.Reset();
    if (HasOffsets()) data_.AppendValue(uint32_t{0});
    bytes_.Reset();
    for (ColumnVector& c : children_) c.Reset();
}

void ColumnVector::MaterializeValidity() {
    const size_t words = ValidityWords(length_);
    validity_.Resize(words * 8);
    if (words > 0) std::memset(validity_.mutable_data(), 0xFF, words * 8);
    all_valid_ = false;
}

void ColumnVector::SetNull(size_t i) {
    assert(i < length_);
    if (all_valid_) MaterializeValidity();
    validity_.mutable_data_as<uint64_t>()[i >> 6] &= ~(uint64_t{1} << (i & 63));
}

void ColumnVector::SetValid(size_t i) {
    assert(i < length_);
    if (all_valid_) return;
    validity_.mutable_data_as<uint64_t>()[i >> 6] |= uint64_t{1} << (i & 63);
}

size_t ColumnVector::NullCount() const {
    if (all_valid_ || length_ == 0) return 0;
    const uint64_t* words = validity_.data_as<uint64_t>();
    const size_t full = length_ >> 6;
    size_t valid = 0;
    for (size_t w = 0; w < full; ++w) valid += static_cast<size_t>(std::popcount(words[w]));
    if (const size_t rest = length_ & 63; rest != 0) {
        valid += static_cast<size_t>(std::popcount(words[full] & ((uint64_t{1} << rest) - 1)));
    }
    return length_ - valid;
}

uint64_t* ColumnVector::MutableValidityBits() {
    if (all_valid_) MaterializeValidity();
    return validity_.mutable_data_as<uint64_t>();
}

void ColumnVector::AppendNull() {
    if (type_.is_fixed_width()) {
        data_.ResizeZeroed(data_.size() + width_);
    } else if (type_.is_string_like()) {
        data_.AppendValue(static_cast<uint32_t>(bytes_.size()));
    } else if (IsListLike()) {
        assert(type_id() == TypeId::kList || children_[0].length() == children_[1].length());
        if (children_[0].length() > kMaxOffset) OffsetOverflow();
        data_.AppendValue(static_cast<uint32_t>(children_[0].length()));
    } else {  // STRUCT
        for (size_t i = 0; i < children_.size(); ++i) {
            if (type_.field(i).nullable) {
                children_[i].AppendNull();
            } else {
                children_[i].AppendDefault();
            }
        }
    }
    PushValidity(false);
    ++length_;
}

void ColumnVector::AppendDefault() {
    if (type_.is_fixed_width()) {
        data_.ResizeZeroed(data_.size() + width_);
    } else if (type_.is_string_like()) {
        data_.AppendValue(static_cast<uint32_t>(bytes_.size()));
    } else if (IsListLike()) {
        AppendListEnd();
        return;
    } else {  // STRUCT
        for (ColumnVector& c : children_) c.AppendDefault();
    }
    PushValidity(true);
    ++length_;
}

void ColumnVector::AppendListEnd() {
    assert(IsListLike());
    assert(type_id() == TypeId::kList || children_[0].length() == children_[1].length());
    const size_t end = children_[0].length();
    if (end > kMaxOffset) OffsetOverflow();
    data_.AppendValue(static_cast<uint32_t>(end));
    PushValidity(true);
    ++length_;
}

void ColumnVector::OffsetOverflow() {
    std::fprintf(stderr,
                 "tarn::columnar: a column vector's string bytes or child length would exceed "
                 "%zu (uint32_t offsets); end the batch earlier\n",
                 kMaxOffset);
    std::abort();
}

}  // namespace tarn::columnar
