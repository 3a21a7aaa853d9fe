#include "format/csv_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tarn::format {
namespace {

// Rows as "line:field|field|..." or "line!error", tokenizing `text` in windows that grow by
// `step` bytes (non-final) until the whole text is seen (final), as CsvInput feeds a reader.
std::vector<std::string> Tokenize(const std::string& text, size_t step,
                                  size_t max_row_bytes = 1 << 20) {
    CsvTokenizer tokenizer(',', '"', max_row_bytes);
    std::vector<std::string> out;
    std::vector<CsvField> fields(8);
    std::string scratch;
    size_t visible = std::min(step, text.size());
    while (true) {
        const bool final = visible == text.size();
        CsvRow row;
        const auto e = tokenizer.Next(std::string_view(text).substr(0, visible), final,
                                      fields.data(), fields.size(), &row);
        if (e == CsvTokenizer::Event::kEnd) break;
        if (e == CsvTokenizer::Event::kNeedMore) {
            EXPECT_FALSE(final);
            visible = std::min(visible + step, text.size());
            continue;
        }
        if (e == CsvTokenizer::Event::kError) {
            out.push_back(std::to_string(row.error_line) + "!" + row.error);
            continue;
        }
        std::string s = std::to_string(row.line) + ":";
        for (size_t i = 0; i < row.num_fields; ++i) {
            if (i > 0) s += "|";
            s += fields[i].quoted() ? "Q" : "";
            s += UnescapeField(fields[i], '"', &scratch);
        }
        out.push_back(s);
    }
    return out;
}

TEST(CsvTokenizerTest, EveryWindowSplitGivesTheSameRows) {
    const std::string text =
        "a,\"b\"\"c\"\r\n\"multi\r\nline\",x\r\r\n\"open,\"\"\ny\n\"\"\",\n\"z\"q,1\nlast";
    const std::vector<std::string> want = {"1:a|Qb\"c",
                                           "2:Qmulti\r\nline|x",
                                           "4:",
                                           "5:Qopen,\"\ny\n\"|",
                                           "8!unexpected character "
                                           "after a closing quote",
                                           "9:last"};
    EXPECT_EQ(Tokenize(text, text.size()), want);
    for (size_t step = 1; step < text.size(); ++step) {
        EXPECT_EQ(Tokenize(text, step), want) << "step " << step;
    }
}

TEST(CsvTokenizerTest, UnterminatedQuoteResumesAfterTheLineItOpenedOn) {
    const std::vector<std::string> want = {"1:1|2", "2!unterminated quote", "3:3|4"};
    const std::string text = "1,2\n\"x,y\n3,4\n";
    for (size_t step : {size_t{1}, size_t{5}, text.size()}) {
        EXPECT_EQ(Tokenize(text, step), want) << step;
    }
}

TEST(CsvTokenizerTest, MaxRowBytesBoundsTheScan) {
    const std::string text = "\"" + std::string(100, 'x') + "\nok\n";
    const std::vector<std::string> want = {
        "1!quoted field runs past max_row_bytes (unterminated quote?)", "2:ok"};
    EXPECT_EQ(Tokenize(text, 7, 16), want);
    EXPECT_EQ(Tokenize(text, text.size(), 16), want);
}

}  // namespace
}  // namespace tarn::format
