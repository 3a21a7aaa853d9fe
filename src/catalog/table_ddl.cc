#include "catalog/table_ddl.h"

namespace tarn::catalog {
namespace {

std::string ColumnDefinition(const Column& column) {
    std::string out = HiveIdentifier(column.name) + " " + column.type;
    if (!column.comment.empty()) out += " COMMENT " + HiveString(column.comment);
    return out;
}

// "'k1'='v1', 'k2'='v2'"
std::string PropertyList(const Parameters& properties) {
    std::string out;
    for (const auto& [key, value] : properties) {
        if (!out.empty()) out += ", ";
        out += HiveString(key) + "=" + HiveString(value);
    }
    return out;
}

}  // namespace

std::string HiveIdentifier(std::string_view name) {
    std::string out = "`";
    for (char c : name) {
        if (c == '`') out += '`';
        out += c;
    }
    out += '`';
    return out;
}

std::string HiveString(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        switch (c) {
            case '\'':
                out += "\\'";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    out += '\'';
    return out;
}

std::string HiveDdl(const Table& table, const LakeLocation& lake) {
    std::string out = "CREATE EXTERNAL TABLE " + HiveIdentifier(table.database) + "." +
                      HiveIdentifier(table.name) + " (\n";
    for (size_t i = 0; i < table.columns.size(); ++i) {
        out += "  " + ColumnDefinition(table.columns[i]);
        out += i + 1 < table.columns.size() ? ",\n" : "\n";
    }
    out += ")\n";
    if (!table.description.empty()) out += "COMMENT " + HiveString(table.description) + "\n";
    if (!table.partition_keys.empty()) {
        out += "PARTITIONED BY (";
        for (size_t i = 0; i < table.partition_keys.size(); ++i) {
            if (i > 0) out += ", ";
            out += ColumnDefinition(table.partition_keys[i]);
        }
        out += ")\n";
    }
    StorageDescriptor descriptor = StorageDescriptorOf(table);
    if (!descriptor.serde_library.empty()) {
        out += "ROW FORMAT SERDE " + HiveString(descriptor.serde_library) + "\n";
    }
    if (!descriptor.serde_parameters.empty()) {
        out += "WITH SERDEPROPERTIES (" + PropertyList(descriptor.serde_parameters) + ")\n";
    }
    if (!descriptor.input_format.empty() && !descriptor.output_format.empty()) {
        out += "STORED AS INPUTFORMAT " + HiveString(descriptor.input_format) + " OUTPUTFORMAT " +
               HiveString(descriptor.output_format) + "\n";
    }
    out += "LOCATION " + HiveString(lake.ToUri(table.location)) + "\n";
    out += "TBLPROPERTIES (" + PropertyList(TableParametersOf(table)) + ");\n";
    return out;
}

}  // namespace tarn::catalog
