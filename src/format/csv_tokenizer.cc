// CsvTokenizer: one pass per row over the window, spans only (see csv_tokenizer.h).
#include "format/csv_tokenizer.h"

#include <cstring>

namespace tarn::format {
namespace {

// Line breaks in s[0, n): LF, CRLF (counted once) and lone CR. REQUIRES: s[n] is readable.
uint64_t CountLineBreaks(const char* s, size_t n) {
    uint64_t lines = 0;
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) ++lines;
    }
    return lines;
}

}  // namespace

CsvTokenizer::CsvTokenizer(char delimiter, char quote, size_t max_row_bytes)
    : delimiter_(delimiter), quote_(quote), max_row_bytes_(max_row_bytes) {
    special_[static_cast<unsigned char>(delimiter)] = true;
    special_[static_cast<unsigned char>('\n')] = true;
    special_[static_cast<unsigned char>('\r')] = true;
}

CsvTokenizer::Event CsvTokenizer::Fail(CsvRow* row, uint64_t line, size_t resume, const char* why) {
    row->error_line = line;
    row->error = why;
    pos_ = resume;
    line_ = line;
    skipping_ = true;
    return Event::kError;
}

// Drops text up to and including the next line break. kRow: done, a row may follow.
CsvTokenizer::Event CsvTokenizer::SkipToNextLine(std::string_view text, bool final) {
    const char* d = text.data();
    const size_t n = text.size();
    size_t p = pos_;
    while (p < n && d[p] != '\n' && d[p] != '\r') ++p;
    if (p == n) {
        pos_ = n;
        if (!final) return Event::kNeedMore;
        skipping_ = false;
        return Event::kEnd;
    }
    if (d[p] == '\r') {
        if (p + 1 == n && !final) {
            pos_ = p;  // CR LF may be split across windows
            return Event::kNeedMore;
        }
        if (p + 1 < n && d[p + 1] == '\n') ++p;
    }
    pos_ = p + 1;
    ++line_;
    skipping_ = false;
    return Event::kRow;
}

CsvTokenizer::Event CsvTokenizer::Next(std::string_view text, bool final, CsvField* fields,
                                       size_t max_fields, CsvRow* row) {
    if (skipping_) {
        const Event e = SkipToNextLine(text, final);
        if (e != Event::kRow) return e;
    }
    const char* d = text.data();
    const size_t n = text.size();
    const size_t start = pos_;
    if (start >= n) return final ? Event::kEnd : Event::kNeedMore;
    // The row must end before `limit`; `limited`: the text goes on past it.
    const bool limited = n - start > max_row_bytes_;
    const size_t limit = limited ? start + max_row_bytes_ : n;
    uint64_t lines = 0;  // line breaks inside quoted fields so far
    size_t num_fields = 0;
    size_t p = start;
    CsvField field;
    while (true) {
        if (p < limit && d[p] == quote_) {
            const size_t open = p;
            const uint64_t open_line = line_ + lines;
            field.flags = CsvField::kQuoted;
            size_t q = p + 1;
            while (true) {
                const void* hit = q < limit ? std::memchr(d + q, quote_, limit - q) : nullptr;
                const size_t c = hit != nullptr ? static_cast<const char*>(hit) - d : limit;
                if (c + 1 >= limit) {
                    // No closing quote, or one at the very end whose partner may follow.
                    if (limited) {
                        return Fail(row, open_line, open + 1,
                                    "quoted field runs past max_row_bytes (unterminated quote?)");
                    }
                    if (!final) return Event::kNeedMore;
                    if (c == limit) return Fail(row, open_line, open + 1, "unterminated quote");
                } else if (d[c + 1] == quote_) {
                    field.flags |= CsvField::kEscapedQuote;
                    q = c + 2;
                    continue;
                }
                field.data = d + open + 1;
                field.size = static_cast<uint32_t>(c - open - 1);
                lines += CountLineBreaks(field.data, field.size);
                p = c + 1;
                break;
            }
            if (p < limit && d[p] != delimiter_ && d[p] != '\n' && d[p] != '\r') {
                return Fail(row, line_ + lines, p, "unexpected character after a closing quote");
            }
        } else {
            size_t e = p;
            while (e < limit && !special_[static_cast<unsigned char>(d[e])]) ++e;
            field.data = d + p;
            field.size = static_cast<uint32_t>(e - p);
            field.flags = 0;
            p = e;
        }
        if (num_fields < max_fields) fields[num_fields] = field;
        ++num_fields;
        if (p >= limit) {
            if (limited) return Fail(row, line_ + lines, p, "row longer than max_row_bytes");
            if (!final) return Event::kNeedMore;
            pos_ = n;  // the end of the text ends the last row
            break;
        }
        if (d[p] == delimiter_) {
            ++p;
            continue;
        }
        if (d[p] == '\r' && p + 1 == n && !final) return Event::kNeedMore;  // CR LF split
        if (d[p] == '\r' && p + 1 < n && d[p + 1] == '\n') ++p;
        pos_ = p + 1;
        break;
    }
    row->num_fields = num_fields;
    row->line = line_;
    row->blank = num_fields == 1 && field.size == 0 && field.flags == 0;
    line_ += lines + 1;
    return Event::kRow;
}

std::string_view UnescapeField(const CsvField& field, char quote, std::string* scratch) {
    if ((field.flags & CsvField::kEscapedQuote) == 0) return field.text();
    scratch->clear();
    for (uint32_t i = 0; i < field.size; ++i) {
        scratch->push_back(field.data[i]);
        if (field.data[i] == quote) ++i;  // inside quotes every quote is doubled
    }
    return *scratch;
}

}  // namespace tarn::format
