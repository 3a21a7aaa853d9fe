#include "delivery/delivery_destination.h"

#include <utility>

#include "columnar/type_parser.h"

namespace tarn::delivery {
namespace {

std::vector<std::string_view> SplitFolders(std::string_view text) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t slash = text.find('/', start);
        if (slash == std::string_view::npos) slash = text.size();
        out.push_back(text.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

// "name=..." with a name of [A-Za-z0-9_]: that name.
std::optional<std::string_view> HiveKeyOf(std::string_view folder) {
    size_t eq = folder.find('=');
    if (eq == 0 || eq == std::string_view::npos) return std::nullopt;
    std::string_view name = folder.substr(0, eq);
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_';
        if (!ok) return std::nullopt;
    }
    return name;
}

std::string JoinWithUnderscore(const std::vector<std::string_view>& parts, size_t from) {
    std::string out;
    for (size_t i = from; i < parts.size(); ++i) {
        if (!out.empty()) out += '_';
        out += parts[i];
    }
    return out;
}

}  // namespace

std::vector<std::string> TableLayout::ValuesOf(std::string_view prefix) const {
    std::vector<std::string> values;
    if (partition_keys.empty()) return values;
    std::string_view rest = prefix.substr(std::min(location.size(), prefix.size()));
    std::vector<std::string_view> folders = SplitFolders(rest);
    for (size_t i = 0; i < partition_keys.size(); ++i) {
        std::string value;
        if (i < folders.size()) {
            if (i + 1 == partition_keys.size()) {
                // The last key takes whatever folders are left.
                size_t begin = static_cast<size_t>(folders[i].data() - rest.data());
                std::string_view tail = rest.substr(begin);
                if (!tail.empty() && tail.back() == '/') tail.remove_suffix(1);
                value = std::string(tail);
            } else {
                value = std::string(folders[i]);
            }
        }
        std::string prefix_eq = partition_keys[i] + "=";
        if (value.starts_with(prefix_eq)) value.erase(0, prefix_eq.size());
        values.push_back(std::move(value));
    }
    return values;
}

Result<TableLayout> TableLayoutOf(const PrefixTemplate& prefix, std::string_view table_name) {
    const std::string& text = prefix.text();
    size_t first_expr = text.find("!{");
    std::string_view fixed = std::string_view(text).substr(0, first_expr);
    size_t last_slash = fixed.rfind('/');
    if (last_slash == std::string_view::npos) {
        return Status::InvalidArgument(
            "Prefix must start with a folder before its first expression (e.g. \"raw/" +
            std::string(table_name) + "/\"): tarn registers the delivered objects as the table "
            "stored there");
    }
    TableLayout layout;
    layout.location = std::string(fixed.substr(0, last_slash + 1));
    std::vector<std::string_view> head = SplitFolders(layout.location);
    layout.database = std::string(head[0]);
    layout.table = head.size() >= 2 ? JoinWithUnderscore(head, 1) : std::string(table_name);
    std::vector<std::string_view> rest =
        SplitFolders(std::string_view(text).substr(layout.location.size()));
    // A trailing part without '/' is the start of the object's name, not a folder.
    bool ends_in_folder = !text.empty() && text.back() == '/';
    size_t folders = ends_in_folder ? rest.size() : (rest.empty() ? 0 : rest.size() - 1);
    for (size_t i = 0; i < folders; ++i) {
        auto key = HiveKeyOf(rest[i]);
        layout.partition_keys.push_back(key ? std::string(*key)
                                            : "partition_" + std::to_string(i));
    }
    return layout;
}

std::string_view Destination::DataExtension() const {
    if (converts()) return ".parquet";
    return config.compression == CompressionFormat::kGzip ? ".json.gz" : ".json";
}

std::string_view Destination::ErrorExtension() const {
    return config.compression == CompressionFormat::kGzip ? ".json.gz" : ".json";
}

Result<std::shared_ptr<const Destination>> Destination::Compile(
    const DeliveryStreamConfig& config, std::vector<catalog::Column> conversion_columns) {
    TARN_RETURN_IF_ERROR(Validate(config));
    TARN_ASSIGN_OR_RETURN(PrefixTemplate prefix,
                          PrefixTemplate::Parse(EffectivePrefixText(config), PrefixKind::kPrefix));
    TARN_ASSIGN_OR_RETURN(PrefixTemplate error_prefix,
                          PrefixTemplate::Parse(EffectiveErrorOutputPrefixText(config),
                                                PrefixKind::kErrorOutputPrefix));
    auto dest = std::make_shared<Destination>(Destination{
        .config = config, .prefix = std::move(prefix), .error_prefix = std::move(error_prefix)});
    if (config.dynamic_partitioning.enabled) {
        TARN_ASSIGN_OR_RETURN(
            MetadataQuery query,
            MetadataQuery::Parse(config.dynamic_partitioning.metadata_extraction_query));
        dest->query = std::move(query);
    }
    TARN_ASSIGN_OR_RETURN(dest->layout, TableLayoutOf(dest->prefix, DeliveryTableName(config)));
    if (dest->converts()) {
        if (conversion_columns.empty()) {
            return Status::InvalidArgument("DataFormatConversionConfiguration: table " +
                                           config.data_format_conversion.database_name + "." +
                                           config.data_format_conversion.table_name +
                                           " has no columns");
        }
        std::vector<columnar::Field> fields;
        for (const catalog::Column& column : conversion_columns) {
            auto type = columnar::ParseDataType(column.type);
            if (!type.ok()) {
                return Status::InvalidArgument("DataFormatConversionConfiguration: column " +
                                               column.name + ": " + type.status().message());
            }
            fields.push_back(columnar::Field{.name = column.name, .type = std::move(*type)});
        }
        TARN_ASSIGN_OR_RETURN(columnar::Schema schema, columnar::Schema::Make(std::move(fields)));
        dest->conversion_schema = std::make_shared<const columnar::Schema>(std::move(schema));
        dest->conversion_columns = std::move(conversion_columns);
    }
    return std::shared_ptr<const Destination>(std::move(dest));
}

}  // namespace tarn::delivery
