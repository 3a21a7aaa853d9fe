#include "common/names.h"

#include <string>

namespace tarn {
namespace {

struct NameRule {
    size_t min_len;
    size_t max_len;
    bool (*allowed)(char c);
    std::string_view allowed_text;
};

bool StreamChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}
bool BucketChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool CatalogChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool ColumnChar(char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7F && c != '/' && c != '\\';
}

NameRule RuleFor(NameKind kind) {
    switch (kind) {
        case NameKind::kStream:
            return {1, 128, StreamChar, "a-z A-Z 0-9 _ . -"};
        case NameKind::kDeliveryStream:
            return {1, 64, StreamChar, "a-z A-Z 0-9 _ . -"};
        case NameKind::kBucket:
            return {3, 63, BucketChar, "a-z 0-9 . -"};
        case NameKind::kDatabase:
        case NameKind::kTable:
            return {1, 255, CatalogChar, "a-z 0-9 _"};
        case NameKind::kColumn:
            return {1, 255, ColumnChar, "printable characters except / and \\"};
        case NameKind::kResource:
            return {1, 128, StreamChar, "a-z A-Z 0-9 _ . -"};
    }
    return {1, 128, StreamChar, "a-z A-Z 0-9 _ . -"};
}

std::string Printable(std::string_view name) {
    std::string out;
    for (char c : name.substr(0, 80)) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        } else {
            out += c;
        }
    }
    if (name.size() > 80) out += "...";
    return out;
}

bool LooksLikeIpv4(std::string_view s) {
    int parts = 0;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j == i || j - i > 3) return false;
        ++parts;
        if (j == s.size()) break;
        if (s[j] != '.') return false;
        i = j + 1;
    }
    return parts == 4;
}

Status BucketRules(std::string_view name, const std::string& prefix) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(name.front()) || !alnum(name.back())) {
        return Status::InvalidArgument(prefix + ": must begin and end with a letter or digit");
    }
    if (LooksLikeIpv4(name)) {
        return Status::InvalidArgument(prefix + ": must not be formatted as an IP address");
    }
    if (name.starts_with("xn--") || name.starts_with("sthree-")) {
        return Status::InvalidArgument(prefix + ": must not start with 'xn--' or 'sthree-'");
    }
    if (name.ends_with("-s3alias") || name.ends_with("--ol-s3")) {
        return Status::InvalidArgument(prefix + ": must not end with '-s3alias' or '--ol-s3'");
    }
    return Status::Ok();
}

}  // namespace

std::string_view NameKindLabel(NameKind kind) {
    switch (kind) {
        case NameKind::kStream:
            return "stream name";
        case NameKind::kDeliveryStream:
            return "delivery stream name";
        case NameKind::kBucket:
            return "bucket name";
        case NameKind::kDatabase:
            return "database name";
        case NameKind::kTable:
            return "table name";
        case NameKind::kColumn:
            return "column name";
        case NameKind::kResource:
            return "name";
    }
    return "name";
}

Status ValidateName(NameKind kind, std::string_view name) {
    const std::string prefix =
        "invalid " + std::string(NameKindLabel(kind)) + " '" + Printable(name) + "'";
    const NameRule rule = RuleFor(kind);
    if (name.size() < rule.min_len || name.size() > rule.max_len) {
        return Status::InvalidArgument(prefix + ": length " + std::to_string(name.size()) +
                                       " is outside " + std::to_string(rule.min_len) + "-" +
                                       std::to_string(rule.max_len));
    }
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '\0' || c == '/' || c == '\\' || !rule.allowed(c)) {
            std::string shown = (static_cast<unsigned char>(c) < 0x20)
                                    ? Printable(name.substr(i, 1))
                                    : std::string(1, c);
            return Status::InvalidArgument(
                prefix + ": character '" + shown + "' at position " + std::to_string(i) +
                " is not allowed (allowed: " + std::string(rule.allowed_text) + ")");
        }
    }
    if (name == "." || name.find("..") != std::string_view::npos) {
        return Status::InvalidArgument(prefix + ": '.' alone and '..' are not allowed");
    }
    if (kind == NameKind::kBucket) return BucketRules(name, prefix);
    return Status::Ok();
}

}  // namespace tarn
