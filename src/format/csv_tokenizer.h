// CsvTokenizer: splits CSV text into rows of fields (RFC 4180), without copying.
//
// Grammar (delimiter D and quote Q configurable; line break = LF, CRLF or a lone CR):
//   row      := field (D field)* line-break | field (D field)* <end of text>
//   field    := Q (any byte but Q | Q Q)* Q     quoted: may hold D, Q (doubled) and line breaks
//             | (any byte but D, CR, LF)*       unquoted: a Q inside is an ordinary byte
// A field is handed out as a span of the text with flags: kQuoted (the span is between the
// quotes) and kEscapedQuote (the span still holds doubled quotes; UnescapeField collapses them).
// A line holding nothing at all is a row with one empty unquoted field, flagged `blank`.
//
// Lines are physical: every line break counts, inside quoted fields too, so messages point at the
// line an editor shows. Errors end the row: an unterminated quoted field (at the end of the text,
// or when the row grows past max_row_bytes), a byte other than D or a line break after a closing
// quote, a row longer than max_row_bytes. After an error the tokenizer resumes at the line after
// the one where the error was found (for an unterminated quote: the line where the quote opened),
// so one bad quote costs one row, not the rest of the file. Rows are bounded by max_row_bytes, so
// a tokenizer never scans or waits for more than that per row.
//
// The text comes in windows (csv_input.h): Next on an incomplete row at the end of a non-final
// window returns kNeedMore without consuming it (the row is tokenized again after Refill).
//
// Thread-safety: one thread at a time per tokenizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tarn::format {

struct CsvField {
    static constexpr uint8_t kQuoted = 1;
    static constexpr uint8_t kEscapedQuote = 2;

    const char* data = nullptr;
    uint32_t size = 0;
    uint8_t flags = 0;

    std::string_view text() const { return {data, size}; }
    bool quoted() const { return (flags & kQuoted) != 0; }
};

struct CsvRow {
    size_t num_fields = 0;  // every field of the row, also those beyond max_fields
    uint64_t line = 0;      // physical line (1-based) where the row starts
    bool blank = false;     // an empty line
    // kError only: the line of the error and a short reason (a static string).
    uint64_t error_line = 0;
    const char* error = nullptr;
};

class CsvTokenizer {
public:
    enum class Event : uint8_t { kRow, kError, kNeedMore, kEnd };

    // REQUIRES: delimiter and quote differ and neither is CR or LF.
    CsvTokenizer(char delimiter, char quote, size_t max_row_bytes);

    // Tokenizes the row at position() of `text` (final: nothing follows it), stores its first
    // max_fields fields in `fields` and advances position() past it. kError: the row is skipped
    // (see above); kNeedMore: nothing of the row is consumed; kEnd: no more rows.
    Event Next(std::string_view text, bool final, CsvField* fields, size_t max_fields, CsvRow* row);

    size_t position() const { return pos_; }
    // Called after the caller dropped the first `consumed` bytes of the text (CsvInput::Refill).
    void Rebase(size_t consumed) { pos_ -= consumed; }
    // The line that the next row starts on.
    uint64_t line() const { return line_; }

    // Where the tokenizer is, to tokenize a row again (e.g. into a larger field array).
    struct State {
        size_t pos = 0;
        uint64_t line = 1;
        bool skipping = false;
    };
    State state() const { return {pos_, line_, skipping_}; }
    void Restore(const State& s) {
        pos_ = s.pos;
        line_ = s.line;
        skipping_ = s.skipping;
    }

private:
    Event SkipToNextLine(std::string_view text, bool final);
    Event Fail(CsvRow* row, uint64_t line, size_t resume, const char* why);

    char delimiter_;
    char quote_;
    size_t max_row_bytes_;
    bool special_[256] = {};  // delimiter, CR, LF: the bytes that end an unquoted field
    size_t pos_ = 0;
    uint64_t line_ = 1;
    bool skipping_ = false;  // after an error: drop text up to the next line break
};

// The field's value: its span, or with doubled quotes collapsed into `scratch`.
std::string_view UnescapeField(const CsvField& field, char quote, std::string* scratch);

}  // namespace tarn::format
