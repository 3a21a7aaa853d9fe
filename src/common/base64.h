// Base64 (RFC 4648, standard alphabet, with padding): how the AWS JSON APIs carry blobs, e.g. a
// Kinesis record's Data. Thread-safety: pure functions.
#pragma once

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
// The decoded size of valid text, without decoding it.
size_t Base64DecodedSize(std::string_view text);

}  // namespace tarn
