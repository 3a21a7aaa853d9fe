// A delivery stream's destination, compiled from its configuration: the parsed prefix templates
// and metadata query, the lake table its objects form (TableLayout) and, with record format
// conversion, the Parquet schema (from the catalog table's columns, captured when the
// destination is compiled so a replay converts with the same schema). Immutable and shared: a
// worker compiles a new Destination when the configuration changes and uses it from the next
// range on.
//
// The table: the Prefix's fixed head (its text up to the last '/' before the first expression)
// is the table's location; its first folder is the database (the lake zone) and the folders after
// it, joined with '_', the table's name (or, with only one folder, DeliveryTableName(config)).
// Each folder of the Prefix after the head is a partition key: "name=..." gives `name`, anything
// else `partition_<i>` (0-based, as the crawler names them). A Prefix without a head ("!{...}/")
// cannot form a table and is refused.
//
// Thread-safety: immutable after Compile.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_types.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "delivery/delivery_config.h"
#include "delivery/metadata_query.h"
#include "delivery/prefix_template.h"

namespace tarn::delivery {

struct TableLayout {
    std::string database;
    std::string table;
    std::string location;  // lake key prefix ending in '/'
    std::vector<std::string> partition_keys;

    // The partition values of an object whose evaluated prefix is `prefix` (which starts with
    // `location`): one per key, "name=" stripped. When a partition key's value held a '/' (more
    // folders than keys), the last value takes the rest.
    std::vector<std::string> ValuesOf(std::string_view prefix) const;
};

// InvalidArgument when the prefix has no head folder.
Result<TableLayout> TableLayoutOf(const PrefixTemplate& prefix, std::string_view table_name);

struct Destination {
    DeliveryStreamConfig config;
    PrefixTemplate prefix;
    PrefixTemplate error_prefix;
    std::optional<MetadataQuery> query;  // with dynamic partitioning
    TableLayout layout;
    // With record format conversion: the catalog table's columns and the schema they give.
    std::vector<catalog::Column> conversion_columns;
    std::shared_ptr<const columnar::Schema> conversion_schema;

    bool converts() const { return config.data_format_conversion.enabled; }
    // ".json.gz", ".json" or ".parquet".
    std::string_view DataExtension() const;
    std::string_view ErrorExtension() const;  // ".json.gz" or ".json"

    // `conversion_columns`: the conversion table's columns (ignored without conversion; a column
    // type tarn cannot read is InvalidArgument). Errors: InvalidArgument from Validate, the
    // templates, the query or the layout.
    static Result<std::shared_ptr<const Destination>> Compile(
        const DeliveryStreamConfig& config, std::vector<catalog::Column> conversion_columns);
};

}  // namespace tarn::delivery
