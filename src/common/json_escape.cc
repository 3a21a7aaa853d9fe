#include "common/json_escape.h"

#include <cstdint>
#include <cstring>

#include "common/text.h"

namespace tarn {

namespace {

// The escape of ASCII byte `c` that JSON requires ('"', '\\' and control characters).
void AppendEscape(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
    }
}

// True when one of the 8 bytes at p is >= 0x80, < 0x20, '"' or '\\' (SWAR; a false positive
// only sends the bytes down the byte-by-byte path).
bool NeedsAttention(const unsigned char* p) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    uint64_t x;
    std::memcpy(&x, p, 8);
    const auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    const uint64_t below_space = (x - kOnes * 0x20) & ~x & kHigh;
    return ((x & kHigh) | below_space | has_zero(x ^ (kOnes * '"')) |
            has_zero(x ^ (kOnes * '\\'))) != 0;
}

}  // namespace

// One pass: runs of bytes that need nothing are appended whole; a UTF-8 sequence is checked
// where it starts (no separate validation pass over ASCII text, the common case).
void AppendJsonString(std::string& out, std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    out += '"';
    size_t run_start = 0, i = 0;
    while (i < n) {
        // 8 bytes at a time while none is non-ASCII, a control character, '"' or '\\'.
        while (i + 8 <= n && !NeedsAttention(p + i)) i += 8;
        if (i >= n) break;
        const unsigned char c = p[i];
        if (c >= 0x80) {
            const size_t len = Utf8SequenceLength(p + i, n - i);
            if (len > 0) {
                i += len;
                continue;
            }
            out.append(s.data() + run_start, i - run_start);
            out += "\\ufffd";  // one replacement per byte that starts no valid sequence
            run_start = ++i;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + run_start, i - run_start);
        AppendEscape(out, c);
        run_start = ++i;
    }
    out.append(s.data() + run_start, n - run_start);
    out += '"';
}

}  // namespace tarn
