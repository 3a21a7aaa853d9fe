// ColumnVector::Validate: every invariant listed in column_vector.h, checked from the buffers.
#include <cstring>
#include <string>

#include "columnar/column_vector.h"
#include "common/text.h"

namespace tarn::columnar {

namespace {

uint128_t Pow10(int n) {
    uint128_t v = 1;
    for (int i = 0; i < n; ++i) v *= 10;
    return v;
}

// |v| < limit, without overflow (limit <= 10^38 < 2^127).
template <class T>
bool MagnitudeBelow(T v, uint128_t limit) {
    const auto wide = static_cast<int128_t>(v);
    const uint128_t mag =
        wide < 0 ? uint128_t{0} - static_cast<uint128_t>(wide) : static_cast<uint128_t>(wide);
    return mag < limit;
}

std::string ChildPath(std::string_view path, const Field& f) {
    std::string out(path);
    if (!out.empty()) out += '.';
    out += f.name;
    return out;
}

}  // namespace

Status ColumnVector::Validate(std::string_view path) const {
    auto fail = [&](const std::string& what) {
        std::string msg = "column";
        if (!path.empty()) {
            msg += " '";
            msg.append(path);
            msg += '\'';
        }
        msg += " (" + type_.ToString() + "): " + what;
        return Status::InvalidArgument(std::move(msg));
    };
    if (children_.size() != type_.num_fields()) {
        return fail("has " + std::to_string(children_.size()) + " child vectors for " +
                    std::to_string(type_.num_fields()) + " fields");
    }
    if (!all_valid_ && validity_.size() < ValidityWords(length_) * 8) {
        return fail("validity bitmap has " + std::to_string(validity_.size() / 8) + " words for " +
                    std::to_string(length_) + " slots");
    }

    if (type_.is_fixed_width()) {
        if (data_.size() != length_ * width_) {
            return fail("values buffer has " + std::to_string(data_.size()) + " bytes for " +
                        std::to_string(length_) + " values of " + std::to_string(width_) +
                        " bytes");
        }
        if (type_id() == TypeId::kBoolean) {
            const uint8_t* v = data_.data();
            for (size_t i = 0; i < length_; ++i) {
                if (v[i] > 1) {
                    return fail("BOOLEAN value " + std::to_string(v[i]) + " at row " +
                                std::to_string(i) + " is not 0 or 1");
                }
            }
        } else if (type_id() == TypeId::kDecimal) {
            const uint128_t limit = Pow10(type_.precision());
            for (size_t i = 0; i < length_; ++i) {
                if (!IsValid(i)) continue;
                const bool fits = width_ == 8 ? MagnitudeBelow(data_.data_as<int64_t>()[i], limit)
                                              : MagnitudeBelow(data_.data_as<int128_t>()[i], limit);
                if (!fits) {
                    return fail("value at row " + std::to_string(i) + " exceeds the precision");
                }
            }
        }
        return Status::Ok();
    }

    if (HasOffsets()) {
        if (data_.size() != (length_ + 1) * sizeof(uint32_t)) {
            return fail("offsets buffer has " + std::to_string(data_.size()) + " bytes for " +
                        std::to_string(length_) + " slots (needs (length + 1) * 4)");
        }
        const uint32_t* off = data_.data_as<uint32_t>();
        if (off[0] != 0) return fail("offsets[0] is " + std::to_string(off[0]) + ", not 0");
        for (size_t i = 0; i < length_; ++i) {
            if (off[i + 1] < off[i]) {
                return fail("offsets decrease at row " + std::to_string(i) + " (" +
                            std::to_string(off[i]) + " > " + std::to_string(off[i + 1]) + ")");
            }
        }
        const size_t end = off[length_];
        if (type_.is_string_like()) {
            if (end != bytes_.size()) {
                return fail("last offset " + std::to_string(end) + " != string bytes " +
                            std::to_string(bytes_.size()));
            }
            if (type_id() == TypeId::kVarchar) {
                for (size_t i = 0; i < length_; ++i) {
                    if (!IsValid(i)) continue;
                    const size_t bad = FindInvalidUtf8(GetString(i));
                    if (bad != std::string_view::npos) {
                        return fail("value at row " + std::to_string(i) +
                                    " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
                    }
                }
            }
            return Status::Ok();
        }
        for (size_t c = 0; c < children_.size(); ++c) {
            if (end != children_[c].length()) {
                return fail("last offset " + std::to_string(end) + " != length " +
                            std::to_string(children_[c].length()) + " of child '" +
                            type_.field(c).name + "'");
            }
        }
    } else {  // STRUCT
        for (size_t c = 0; c < children_.size(); ++c) {
            if (children_[c].length() != length_) {
                return fail("child '" + type_.field(c).name + "' has length " +
                            std::to_string(children_[c].length()) + ", not " +
                            std::to_string(length_));
            }
        }
    }

    for (size_t c = 0; c < children_.size(); ++c) {
        const Field& f = type_.field(c);
        const std::string child_path = ChildPath(path, f);
        if (!f.nullable) {
            if (const size_t nulls = children_[c].NullCount(); nulls != 0) {
                return fail(std::string(type_id() == TypeId::kMap && c == 0
                                            ? "map keys"
                                            : "non-nullable child '" + f.name + "'") +
                            " must not be null; found " + std::to_string(nulls) + " nulls");
            }
        }
        TARN_RETURN_IF_ERROR(children_[c].Validate(child_path));
    }
    return Status::Ok();
}

}  // namespace tarn::columnar
