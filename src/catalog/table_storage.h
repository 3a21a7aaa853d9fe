// How a table's data format is declared to the engines that read the lake through a Hive
// metastore or the Glue Data Catalog (Athena, Trino's Hive connector, Spark, Hive): its input and
// output formats, its SerDe with SerDe parameters, and the table parameters a Glue crawler sets;
// and the reverse, for a table a client declares through the Glue API (boto3 `create_table`).
// Also LakeLocation: the lake's root URI, which turns a table's lake prefix into a URI and back.
//
// Table parameters written for a table of known format (TableParametersOf):
//   classification           parquet | json | csv           (as a Glue crawler writes it)
//   compressionType          none | gzip | snappy | zstd ...  (Table::compression; "none" when
//                                                             empty)
//   typeOfData               file
//   skip.header.line.count   "1"       CSV with a header line only (Hive, Athena, Trino, Spark)
//   delimiter                ","       CSV only (a crawler writes it; the SerDe's is what counts)
//   tarn.kind                managed | external
//   tarn.time_partition_source   arrival_time | <event-time column>   (only when set)
//   tarn.schema_version      Table::schema_version
//   tarn.deprecated          "true"    only for a table the crawler deprecated
// These keys are derived from the Table's fields and written over Table::parameters (the user's
// own). Reading parameters back (FormatFromStorage, UserParameters) consumes them. For a table of
// unknown format (ORC, Avro, a view...) the format keys are not derived: whatever the client set
// stays in Table::parameters, and its formats are kept there as tarn.input_format,
// tarn.output_format and tarn.serde so that StorageDescriptorOf can give them back.
//
// Thread-safety: pure functions and immutable values.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "catalog/catalog_types.h"

namespace tarn::catalog {

using Parameters = std::map<std::string, std::string>;

// Hive class names, as engines expect them.
inline constexpr std::string_view kTextInputFormat = "org.apache.hadoop.mapred.TextInputFormat";
inline constexpr std::string_view kTextOutputFormat =
    "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
inline constexpr std::string_view kParquetInputFormat =
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
inline constexpr std::string_view kParquetOutputFormat =
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
inline constexpr std::string_view kParquetSerde =
    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
inline constexpr std::string_view kOpenxJsonSerde = "org.openx.data.jsonserde.JsonSerDe";
inline constexpr std::string_view kOpenCsvSerde = "org.apache.hadoop.hive.serde2.OpenCSVSerde";

// The format half of a Hive/Glue StorageDescriptor.
struct StorageDescriptor {
    std::string input_format;
    std::string output_format;
    std::string serde_library;
    Parameters serde_parameters;
    // Glue's `Compressed`: true when the objects are compressed as whole files (gzip'd NDJSON or
    // CSV); Parquet's page compression does not count.
    bool compressed = false;
    bool operator==(const StorageDescriptor&) const = default;
};

// The storage descriptor of `table`'s format. Empty strings for an unknown format unless the
// table keeps a client's formats in its parameters (tarn.input_format...).
StorageDescriptor StorageDescriptorOf(const Table& table);

// Table::parameters with the derived keys above written over them.
Parameters TableParametersOf(const Table& table);

// What a descriptor says about a table's format.
struct StorageFormat {
    DataFormat format = DataFormat::kUnknown;
    std::string compression;  // "" when nothing says
    char csv_delimiter = ',';
    bool csv_header = false;  // Hive reads every line as data unless skip.header.line.count says
};

// Reads a client's descriptor. The SerDe decides first (it is what engines read with): any
// Parquet SerDe; JsonSerDe from openx, hive.hcatalog or hive.serde2; OpenCSVSerde (separatorChar);
// LazySimpleSerDe (field.delim, else Hive's default \001). Then the input format (Parquet), then
// the `classification` parameter (table parameters first, then the descriptor's). Compression:
// compressionType, else "gzip" for `Compressed` text. Header: skip.header.line.count >= 1.
// `table_parameters` are the table's (Glue keeps format hints there and in the descriptor's own
// Parameters: pass both merged, the table's winning).
StorageFormat FormatFromStorage(const StorageDescriptor& descriptor,
                                const Parameters& table_parameters);

// `parameters` without the keys TableParametersOf derives for a table of `format` (for
// kUnknown: only the tarn.* ones): what is left is the user's own.
Parameters UserParameters(Parameters parameters, DataFormat format);

// True for "scheme:..." (a URI), false for a lake key prefix such as "raw/events/".
bool IsUri(std::string_view location);

// The lake's root, as a URI: `file:///abs/path/tarn-data/lake/` or `s3://bucket/prefix/`.
// Locations in the catalog are key prefixes relative to it; Glue clients see URIs. Inside the
// lake every location is a folder: FromUri gives it a trailing '/'. Paths are not
// percent-encoded or decoded (lake keys are plain names).
class LakeLocation {
public:
    // `root_uri` gets a trailing '/' when it lacks one.
    explicit LakeLocation(std::string root_uri);

    const std::string& root() const { return root_; }

    // "raw/events/" → root + "raw/events/"; "" → the root; a URI is returned as it is (the
    // location of a table declared outside the lake).
    std::string ToUri(std::string_view location) const;

    struct Resolved {
        std::string location;  // the key prefix (ending in '/', or "" for the root) or the URI
        bool inside = false;
    };
    // The key prefix when `uri` is inside the lake, else the URI unchanged with inside=false.
    // Accepts the spellings engines use for the same place: for a file root `file:///p/`,
    // `file:/p/`, `file://localhost/p/` and the bare path `/p/`; for an s3 root `s3://b/p/`,
    // `s3a://` and `s3n://`; the root without its trailing '/'. A path with a "." or ".." segment
    // counts as outside (it may point anywhere).
    Resolved FromUri(std::string_view uri) const;

private:
    std::string root_;          // as given, ending in '/'
    std::string scheme_;        // "file", "s3", ... lower case
    std::string after_scheme_;  // root_ after "<scheme>:", normalized ("///p/" → "/p/" for file)
};

}  // namespace tarn::catalog
