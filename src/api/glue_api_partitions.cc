// CreatePartition, BatchCreatePartition, GetPartition, GetPartitions (Expression, Segment,
// paging, ExcludeColumnSchema), BatchGetPartition, UpdatePartition, DeletePartition and
// BatchDeletePartition.
#include <algorithm>

#include "api/glue_api_internal.h"
#include "api/glue_json.h"
#include "catalog/catalog.h"
#include "catalog/partition_expression.h"

namespace tarn::api::glue {
namespace {

constexpr size_t kMaxPartitionsPerPage = 1000;
constexpr size_t kMaxBatchCreate = 100;  // PartitionInputList
constexpr size_t kMaxBatchGet = 1000;    // BatchGetPartitionValueList
constexpr size_t kMaxBatchDelete = 25;   // BatchDeletePartitionValueList

Result<catalog::Table> TableOf(const GlueContext& ctx, const Json& request) {
    TARN_ASSIGN_OR_RETURN(std::string database, NameOf(request, "DatabaseName"));
    TARN_ASSIGN_OR_RETURN(std::string table, NameOf(request, "TableName"));
    return ctx.catalog.GetTable(database, table);
}

Result<std::vector<std::string>> ValuesOf(const Json& request, std::string_view member) {
    return StringsOf(MemberOf(request, member), member);
}

// A list of PartitionValueList ({"Values": [...]}) members, at most `max`.
Result<std::vector<std::vector<std::string>>> ValueListsOf(const Json& request,
                                                           std::string_view member, size_t max) {
    TARN_ASSIGN_OR_RETURN(const Json* items, RequiredArray(request, member));
    if (items->size() > max) {
        return Status::InvalidArgument(std::string(member) + " must have at most " +
                                       std::to_string(max) + " members");
    }
    std::vector<std::vector<std::string>> out;
    for (const Json& item : *items) {
        TARN_ASSIGN_OR_RETURN(auto values, ValuesOf(item, "Values"));
        out.push_back(std::move(values));
    }
    return out;
}

Result<const Json*> PartitionInputOf(const Json& request) {
    const Json* input = MemberOf(request, "PartitionInput");
    if (!input || !input->is_object()) {
        return Status::InvalidArgument("PartitionInput is required and must be an object");
    }
    return input;
}

// Glue's PartitionError.
Json PartitionErrorJson(const std::vector<std::string>& values, const Status& status) {
    return {{"PartitionValues", values}, {"ErrorDetail", ErrorDetailJson(status)}};
}

// GetPartitions' Segment, when given.
Result<std::optional<std::pair<int, int>>> SegmentOf(const Json& request) {
    const Json* segment = MemberOf(request, "Segment");
    if (!segment) return std::optional<std::pair<int, int>>();
    if (!segment->is_object()) return Status::InvalidArgument("Segment must be an object");
    TARN_ASSIGN_OR_RETURN(auto number, OptionalInt(*segment, "SegmentNumber"));
    TARN_ASSIGN_OR_RETURN(auto total, OptionalInt(*segment, "TotalSegments"));
    if (!number || !total) {
        return Status::InvalidArgument("Segment needs SegmentNumber and TotalSegments");
    }
    if (*number < 0 || *number > INT32_MAX || *total < 0 || *total > INT32_MAX) {
        return catalog::ValidateSegment(-1, 0);  // worded as Glue words it
    }
    const int n = static_cast<int>(*number), t = static_cast<int>(*total);
    TARN_RETURN_IF_ERROR(catalog::ValidateSegment(n, t));
    return std::optional<std::pair<int, int>>(std::make_pair(n, t));
}

}  // namespace

TARN_GLUE_HANDLER(CreatePartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(const Json* input, PartitionInputOf(request));
    TARN_ASSIGN_OR_RETURN(catalog::Partition partition, PartitionFromInput(*input, ctx.lake));
    TARN_ASSIGN_OR_RETURN(auto statuses,
                          ctx.catalog.CreatePartitions(table.database, table.name, {partition}));
    if (!statuses.empty() && !statuses.front().ok()) return statuses.front();
    return Json::object();
}

// Partitions that can't be read or created are reported one by one in Errors; the others are
// created.
TARN_GLUE_HANDLER(BatchCreatePartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(const Json* inputs, RequiredArray(request, "PartitionInputList"));
    if (inputs->size() > kMaxBatchCreate) {
        return Status::InvalidArgument("PartitionInputList must have at most 100 members");
    }
    Json errors = Json::array();
    std::vector<catalog::Partition> valid;
    for (const Json& input : *inputs) {
        auto partition = PartitionFromInput(input, ctx.lake);
        if (partition.ok()) {
            valid.push_back(std::move(*partition));
            continue;
        }
        auto values = ValuesOf(input, "Values");
        errors.push_back(PartitionErrorJson(values.ok() ? *values : std::vector<std::string>{},
                                            partition.status()));
    }
    if (valid.empty()) return Json{{"Errors", std::move(errors)}};
    TARN_ASSIGN_OR_RETURN(auto statuses,
                          ctx.catalog.CreatePartitions(table.database, table.name, valid));
    for (size_t i = 0; i < statuses.size() && i < valid.size(); ++i) {
        if (!statuses[i].ok()) errors.push_back(PartitionErrorJson(valid[i].values, statuses[i]));
    }
    return Json{{"Errors", std::move(errors)}};
}

TARN_GLUE_HANDLER(GetPartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto values, ValuesOf(request, "PartitionValues"));
    TARN_ASSIGN_OR_RETURN(catalog::Partition partition,
                          ctx.catalog.GetPartition(table.database, table.name, values));
    return Json{{"Partition", PartitionToJson(partition, table, ctx.lake)}};
}

// Filters (Expression, Segment) apply before paging, so pages hold matching partitions only and
// a token of one segment's listing continues that segment.
TARN_GLUE_HANDLER(GetPartitions) {
    TARN_ASSIGN_OR_RETURN(auto expression, OptionalString(request, "Expression"));
    TARN_ASSIGN_OR_RETURN(auto segment, SegmentOf(request));
    TARN_ASSIGN_OR_RETURN(auto token, OptionalString(request, "NextToken"));
    TARN_ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request, kMaxPartitionsPerPage));
    TARN_ASSIGN_OR_RETURN(bool exclude_columns, BoolOr(request, "ExcludeColumnSchema", false));
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto filter, catalog::PartitionFilter::Parse(expression.value_or(""),
                                                                       table.partition_keys));
    TARN_ASSIGN_OR_RETURN(auto partitions, ctx.catalog.ListPartitions(table.database, table.name));
    std::erase_if(partitions, [&](const catalog::Partition& p) {
        if (segment && !catalog::InSegment(p.values, segment->first, segment->second)) return true;
        return !filter.Matches(p.values);
    });
    // The paging key is the values list: ordered here so that it ascends as JSON arrays do.
    std::sort(partitions.begin(), partitions.end(),
              [](const auto& a, const auto& b) { return a.values < b.values; });
    std::vector<Json> keys;
    for (const auto& partition : partitions) keys.emplace_back(partition.values);
    TARN_ASSIGN_OR_RETURN(Page page, PageOf(keys, token, page_size));
    Json list = Json::array();
    for (size_t i = page.begin; i < page.end; ++i) {
        list.push_back(PartitionToJson(partitions[i], table, ctx.lake, exclude_columns));
    }
    Json response = {{"Partitions", std::move(list)}};
    SetNextToken(response, page);
    return response;
}

// Partitions that do not exist are left out, as Glue does; every key is processed.
TARN_GLUE_HANDLER(BatchGetPartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto wanted, ValueListsOf(request, "PartitionsToGet", kMaxBatchGet));
    Json list = Json::array();
    for (const auto& values : wanted) {
        auto partition = ctx.catalog.GetPartition(table.database, table.name, values);
        if (partition.status().code() == StatusCode::kNotFound) continue;
        if (!partition.ok()) return partition.status();
        list.push_back(PartitionToJson(*partition, table, ctx.lake));
    }
    return Json{{"Partitions", std::move(list)}, {"UnprocessedKeys", Json::array()}};
}

TARN_GLUE_HANDLER(UpdatePartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto values, ValuesOf(request, "PartitionValueList"));
    TARN_ASSIGN_OR_RETURN(const Json* input, PartitionInputOf(request));
    TARN_ASSIGN_OR_RETURN(catalog::Partition partition, PartitionFromInput(*input, ctx.lake));
    TARN_RETURN_IF_ERROR(
        ctx.catalog.UpdatePartition(table.database, table.name, values, partition));
    return Json::object();
}

TARN_GLUE_HANDLER(DeletePartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto values, ValuesOf(request, "PartitionValues"));
    TARN_ASSIGN_OR_RETURN(auto statuses,
                          ctx.catalog.DeletePartitions(table.database, table.name, {values}));
    if (!statuses.empty() && !statuses.front().ok()) return statuses.front();
    return Json::object();
}

TARN_GLUE_HANDLER(BatchDeletePartition) {
    TARN_ASSIGN_OR_RETURN(catalog::Table table, TableOf(ctx, request));
    TARN_ASSIGN_OR_RETURN(auto doomed,
                          ValueListsOf(request, "PartitionsToDelete", kMaxBatchDelete));
    TARN_ASSIGN_OR_RETURN(auto statuses,
                          ctx.catalog.DeletePartitions(table.database, table.name, doomed));
    Json errors = Json::array();
    for (size_t i = 0; i < statuses.size() && i < doomed.size(); ++i) {
        if (!statuses[i].ok()) errors.push_back(PartitionErrorJson(doomed[i], statuses[i]));
    }
    return Json{{"Errors", std::move(errors)}};
}

}  // namespace tarn::api::glue
