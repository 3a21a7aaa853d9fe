// Validation of every user-supplied name (streams, delivery streams, buckets, databases, tables,
// jobs...). Names become directory names and catalog keys, so whatever the kind, a name is never
// empty, never ".", never contains "..", '/', '\\' or NUL; each kind adds AWS's own rules so that a
// name tarn accepts is one AWS would accept too. Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"

namespace tarn {

enum class NameKind {
    kStream,          // Kinesis stream: 1-128 of [a-zA-Z0-9_.-]
    kDeliveryStream,  // Firehose delivery stream: 1-64 of [a-zA-Z0-9_.-]
    kBucket,          // S3 bucket: 3-63 of [a-z0-9.-], starts/ends with a letter or digit, not an
                      // IP address, no "..", no "xn--"/"sthree-" prefix, no "-s3alias" suffix
    kDatabase,        // catalog database (Glue/Athena): 1-255 of [a-z0-9_]
    kTable,           // catalog table (Glue/Athena): 1-255 of [a-z0-9_]
    kColumn,          // column: 1-255 characters, no control characters
    kResource,        // anything else (jobs, pipelines, users): 1-128 of [a-zA-Z0-9_.-]
};

// What the kind is called in messages, e.g. "stream name".
std::string_view NameKindLabel(NameKind kind);

// OK, or InvalidArgument saying which rule the name breaks, e.g. "invalid stream name 'a/b':
// character '/' at position 1 is not allowed (allowed: a-z A-Z 0-9 _ . -)".
Status ValidateName(NameKind kind, std::string_view name);

}  // namespace tarn
