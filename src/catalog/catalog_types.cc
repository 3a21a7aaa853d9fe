#include "catalog/catalog_types.h"

#include "common/text.h"

namespace tarn::catalog {

const char* DataFormatName(DataFormat format) {
    switch (format) {
        case DataFormat::kParquet:
            return "parquet";
        case DataFormat::kJson:
            return "json";
        case DataFormat::kCsv:
            return "csv";
        case DataFormat::kUnknown:
            break;
    }
    return "unknown";
}

std::optional<DataFormat> ParseDataFormat(std::string_view name) {
    for (DataFormat f :
         {DataFormat::kParquet, DataFormat::kJson, DataFormat::kCsv, DataFormat::kUnknown}) {
        if (EqualsIgnoreAsciiCase(name, DataFormatName(f))) return f;
    }
    return std::nullopt;
}

}  // namespace tarn::catalog
