// Base64 (RFC 4648, standard alphabet, with padding): how the AWS JSON APIs carry blobs, e.g. a
// Kinesis record's Data. Encoding and decoding are on the ingest hot path, so both run on AVX2
// (or AVX-512 VBMI) when the CPU has it, picked once at first use; every kernel gives the same
// bytes and the same errors as the portable one (base64_internal.h). Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn {

std::string Base64Encode(std::string_view data);
void Base64EncodeAppend(std::string_view data, std::string* out);
// Strict: the length must be a multiple of 4 and '=' may only end the text; anything else is
// InvalidArgument naming the offending position.
Result<std::string> Base64Decode(std::string_view text);
// Appends the decoded bytes to *out (left unspecified on error).
Status Base64DecodeAppend(std::string_view text, std::string* out);
// Decodes into a caller's buffer, with the errors of Base64Decode. On success *written is
// Base64DecodedSize(text); on error *written and the buffer's bytes are unspecified.
// REQUIRES: when text.size() is a multiple of 4, out points to at least Base64DecodedSize(text)
// writable bytes. No slack is needed: nothing is written past them, even for invalid text (and
// nothing at all when the length is not a multiple of 4, which is the first error checked).
// `out` must not overlap `text`.
Status Base64DecodeTo(std::string_view text, char* out, size_t* written);
// The decoded size of valid text, without decoding it.
// REQUIRES: text.size() is a multiple of 4 (other lengths give a meaningless number).
size_t Base64DecodedSize(std::string_view text);

}  // namespace tarn
