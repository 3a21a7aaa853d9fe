#include "storage/key_rules.h"

#include <cstdint>

#include "storage/storage.h"

namespace tarn::storage {

namespace {

constexpr size_t kMaxQuotedBytes = 200;

// Length of the UTF-8 sequence at the start of `s`, or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s) {
    auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
    auto cont = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
    uint8_t b0 = byte(0);
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
        if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
        if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
    while (!text.empty()) {
        size_t n = Utf8SequenceLength(text);
        if (n == 0) return false;
        text.remove_prefix(n);
    }
    return true;
}

std::string_view SegmentProblem(std::string_view segment) {
    if (segment.empty()) return "empty segment (leading, trailing or double '/')";
    if (segment == ".") return "\".\" segment";
    if (segment == "..") return "\"..\" segment";
    if (segment.find('\0') != std::string_view::npos) return "NUL byte";
    if (segment.find('\\') != std::string_view::npos) return "backslash";
    if (segment.starts_with(kReservedPrefix)) {
        return "segment starts with the reserved prefix \".tarn-tmp-\"";
    }
    return {};
}

std::string QuoteForMessage(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    size_t i = 0;
    while (i < text.size()) {
        if (i >= kMaxQuotedBytes) {
            out += "...";
            break;
        }
        size_t n = Utf8SequenceLength(text.substr(i));
        auto c = static_cast<uint8_t>(text[i]);
        if (n > 1) {
            out.append(text.substr(i, n));
            i += n;
            continue;
        }
        if (n == 1 && c >= 0x20 && c != 0x7F && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        ++i;
    }
    out += '"';
    if (text.size() > kMaxQuotedBytes) {
        out += " (" + std::to_string(text.size()) + " bytes)";
    }
    return out;
}

Status ValidateKey(std::string_view key) {
    auto invalid = [&](std::string_view why) {
        return Status::InvalidArgument("invalid key " + QuoteForMessage(key) + ": " +
                                       std::string(why));
    };
    if (key.empty()) return invalid("empty");
    if (key.size() > kMaxKeyBytes) {
        return invalid("longer than " + std::to_string(kMaxKeyBytes) + " bytes");
    }
    if (key.front() == '/') return invalid("absolute (starts with '/')");
    if (key.back() == '/') return invalid("ends with '/'");
    if (!IsValidUtf8(key)) return invalid("not valid UTF-8");
    size_t begin = 0;
    while (true) {
        size_t end = key.find('/', begin);
        std::string_view segment =
            key.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        std::string_view problem = SegmentProblem(segment);
        if (!problem.empty()) return invalid(problem);
        if (end == std::string_view::npos) break;
        begin = end + 1;
    }
    return Status::Ok();
}

}  // namespace tarn::storage
