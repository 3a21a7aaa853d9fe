// Fuzz target: the Thrift compact codec of Parquet's metadata (parquet_metadata.h over
// thrift_compact.h).
//
// Each input is decoded as a FileMetaData (the whole input, as a footer), as a PageHeader (a
// prefix, as before page data) and skipped as one generic struct. Beyond "no crash", a decode that
// succeeds must round-trip: Write(decoded) decodes again to an equal value, and encoding that
// value gives the same bytes (the writer is deterministic). A difference means the reader kept
// something the writer cannot express or the writer lost a field: a bug either way, reported by
// abort() so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/parquet_metadata.h"
#include "format/thrift_compact.h"

namespace {

[[noreturn]] void Fail(const char* what) {
    std::fprintf(stderr, "thrift_compact_fuzzer: %s\n", what);
    std::abort();
}

void CheckFileMetaData(std::string_view bytes) {
    auto decoded = tarn::format::ReadFileMetaData(bytes);
    if (!decoded.ok()) return;
    std::string encoded;
    tarn::format::Write(*decoded, &encoded);
    auto again = tarn::format::ReadFileMetaData(encoded);
    if (!again.ok()) Fail(("FileMetaData: re-encoded footer does not decode: " +
                           again.status().ToString()).c_str());
    if (!(*again == *decoded)) Fail("FileMetaData: round trip changed the value");
    std::string reencoded;
    tarn::format::Write(*again, &reencoded);
    if (reencoded != encoded) Fail("FileMetaData: encoding is not deterministic");
}

void CheckPageHeader(std::string_view bytes) {
    size_t consumed = 0;
    auto decoded = tarn::format::ReadPageHeader(bytes, &consumed);
    if (!decoded.ok()) return;
    if (consumed > bytes.size()) Fail("PageHeader: consumed more bytes than given");
    std::string encoded;
    tarn::format::Write(*decoded, &encoded);
    size_t consumed_again = 0;
    auto again = tarn::format::ReadPageHeader(encoded, &consumed_again);
    if (!again.ok()) Fail(("PageHeader: re-encoded header does not decode: " +
                           again.status().ToString()).c_str());
    if (consumed_again != encoded.size()) Fail("PageHeader: re-encoded header not fully consumed");
    if (!(*again == *decoded)) Fail("PageHeader: round trip changed the value");
}

// The generic skipper (what the metadata readers use for unknown fields) over arbitrary nesting.
void SkipStruct(std::string_view bytes) {
    tarn::format::ThriftCompactReader reader(bytes);
    (void)reader.Skip(tarn::format::ThriftType::kStruct);
    if (reader.position() > bytes.size()) Fail("Skip: read past the end of the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    CheckFileMetaData(bytes);
    CheckPageHeader(bytes);
    SkipStruct(bytes);
    return 0;
}
