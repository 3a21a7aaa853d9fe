// Fuzz target: bytes -> ParseStatement -> ToSql -> ParseStatement again.
//
// Errors are expected; crashes, sanitizer reports, leaks, timeouts and stack overflows are the
// bugs. Beyond not crashing, a statement that parses must print (ToSql) to text that parses to a
// tree printing the same text: the printer and the parser agree on every construct, and the
// printed form is a fixpoint. Any disagreement aborts, so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sql/parser/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto first = tarn::sql::ParseStatement(text);
    if (!first.ok()) {
        // One line, always: it is shown to users as is.
        if (first.status().message().find('\n') != std::string::npos) {
            std::fprintf(stderr, "multi-line error: %s\n", first.status().message().c_str());
            std::abort();
        }
        return 0;
    }
    const std::string printed = tarn::sql::ToSql(*first);
    auto second = tarn::sql::ParseStatement(printed);
    if (!second.ok()) {
        std::fprintf(stderr, "printed statement does not parse: %s\n  printed: %s\n",
                     second.status().ToString().c_str(), printed.c_str());
        std::abort();
    }
    const std::string reprinted = tarn::sql::ToSql(*second);
    if (reprinted != printed) {
        std::fprintf(stderr, "ToSql is not a fixpoint:\n  first:  %s\n  second: %s\n",
                     printed.c_str(), reprinted.c_str());
        std::abort();
    }
    return 0;
}
