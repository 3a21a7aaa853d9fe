#include "common/json_escape.h"

#include "common/text.h"

namespace tarn {

namespace {

// Appends valid UTF-8 `s` escaped, without quotes.
void AppendEscaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    size_t run_start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run_start, i - run_start);
        run_start = i + 1;
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
    out.append(s.data() + run_start, s.size() - run_start);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
    out += '"';
    while (true) {
        const size_t bad = FindInvalidUtf8(s);
        AppendEscaped(out, s.substr(0, bad));
        if (bad == std::string_view::npos) break;
        out += "\\ufffd";  // one replacement per byte that starts no valid sequence
        s.remove_prefix(bad + 1);
    }
    out += '"';
}

}  // namespace tarn
