// ScanTarget: lists the target's zones and dataset folders, groups each dataset's files into
// partitions, samples the files of partitions not yet known and merges what they say.
#include "catalog/crawl_scan.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "catalog/crawl_internal.h"
#include "storage/storage.h"

namespace tarn::catalog {
namespace {

using crawl::FileSample;
using storage::ObjectInfo;

// Zones that hold tarn's own output, not datasets (scanned only when targeted by name).
constexpr std::string_view kNonDataZones[] = {"errors/", "athena-results/"};

// One listing level: the folders (common prefixes) and the objects directly in it.
struct Folder {
    std::vector<std::string> folders;
    std::vector<ObjectInfo> objects;
};

// Lists `prefix` page by page, with `delimiter` ("" for every key below it).
Result<Folder> ListAll(storage::ObjectStore& store, const std::string& prefix,
                       std::string_view delimiter, size_t page_size) {
    Folder out;
    storage::ListOptions options;
    options.max_keys = page_size;
    options.delimiter = std::string(delimiter);
    while (true) {
        Result<storage::ListPage> page = store.List(prefix, options);
        if (!page.ok()) return page.status().WithContext("crawl: list " + prefix);
        for (ObjectInfo& o : page->objects) out.objects.push_back(std::move(o));
        for (std::string& p : page->common_prefixes) out.folders.push_back(std::move(p));
        if (!page->truncated) break;
        options.start_after = page->next_start_after;
    }
    return out;
}

// The last segment of a folder prefix "raw/events/" ("events").
std::string_view FolderName(std::string_view folder) {
    folder.remove_suffix(1);
    return folder.substr(folder.rfind('/') + 1);
}

struct DatasetFile;
struct PartitionBuild;
using PartitionMap = std::map<std::vector<std::string>, PartitionBuild>;

// One scan: its options, the target and what it has found so far.
class Scan {
public:
    Scan(storage::ObjectStore& store, std::string target, const ScanOptions& options)
        : store_(store), target_(std::move(target)), options_(options) {}

    Status Run();
    ScanResult Finish() &&;

private:
    Status ScanAllZones();
    Status ScanZone(const std::string& zone);
    Status ScanDataset(const std::string& prefix);
    // The dataset's files at its partition depth (the others are reported).
    Result<std::vector<DatasetFile>> ListDatasetFiles(const std::string& prefix);
    PartitionMap BuildPartitions(const std::vector<DatasetFile>& files,
                                 const std::vector<Column>& keys, const std::string& prefix);
    void SampleInto(const ObjectInfo& object, PartitionBuild* part);
    void MergePartitions(PartitionMap partitions, ScannedDataset* dataset);

    // Keys the scan never reads: hidden segments, empty objects, exclusions.
    bool Ignored(const ObjectInfo& object) const;
    // Objects that are not inside a dataset folder.
    void ReportStray(const std::vector<ObjectInfo>& objects);
    void AddError(std::string key, std::string reason) {
        result_.errors.push_back(FileError{std::move(key), std::move(reason)});
    }

    storage::ObjectStore& store_;
    const std::string target_;
    const ScanOptions& options_;
    ScanResult result_;
};

bool Scan::Ignored(const ObjectInfo& object) const {
    if (object.size == 0) return true;
    for (std::string_view segment : crawl::SplitKey(object.key)) {
        if (crawl::IsHiddenSegment(segment)) return true;
    }
    const std::string_view relative = std::string_view(object.key).substr(target_.size());
    return std::any_of(options_.exclusions.begin(), options_.exclusions.end(),
                       [&](const std::string& p) { return MatchesExclusion(p, relative); });
}

void Scan::ReportStray(const std::vector<ObjectInfo>& objects) {
    for (const ObjectInfo& o : objects) {
        if (Ignored(o)) continue;
        AddError(o.key, "not inside a dataset folder (<zone>/<dataset>/...); skipped");
    }
}

Status Scan::Run() {
    const size_t depth = static_cast<size_t>(std::count(target_.begin(), target_.end(), '/'));
    if (depth == 0) return ScanAllZones();
    if (depth == 1) return ScanZone(target_);
    return ScanDataset(target_);
}

Status Scan::ScanAllZones() {
    TARN_ASSIGN_OR_RETURN(Folder root, ListAll(store_, "", "/", options_.list_page_size));
    ReportStray(root.objects);
    for (const std::string& zone : root.folders) {
        const bool not_data = std::find(std::begin(kNonDataZones), std::end(kNonDataZones), zone) !=
                              std::end(kNonDataZones);
        if (not_data || crawl::IsHiddenSegment(zone)) continue;
        TARN_RETURN_IF_ERROR(ScanZone(zone));
    }
    return Status::Ok();
}

Status Scan::ScanZone(const std::string& zone) {
    TARN_ASSIGN_OR_RETURN(Folder listing, ListAll(store_, zone, "/", options_.list_page_size));
    ReportStray(listing.objects);
    for (const std::string& dataset : listing.folders) {
        if (crawl::IsHiddenSegment(FolderName(dataset))) continue;
        TARN_RETURN_IF_ERROR(ScanDataset(dataset));
    }
    return Status::Ok();
}

// ---- One dataset ---------------------------------------------------------------------------

// A file of the dataset with the folders between the dataset folder and it.
struct DatasetFile {
    ObjectInfo object;
    size_t depth = 0;
    std::vector<std::string_view> folders;  // views into object.key, set once files stay put
};

// The folders of `key` below the dataset folder `prefix`.
std::vector<std::string_view> FoldersOf(std::string_view key, std::string_view prefix) {
    std::vector<std::string_view> folders = crawl::SplitKey(key.substr(prefix.size()));
    folders.pop_back();  // the file name
    return folders;
}

// The partition depth: the one holding the most files; ties go to the deeper.
size_t ChooseDepth(const std::vector<DatasetFile>& files) {
    std::map<size_t, size_t> count_by_depth;
    for (const DatasetFile& f : files) ++count_by_depth[f.depth];
    size_t best = 0, best_count = 0;
    for (const auto& [depth, count] : count_by_depth) {
        if (count >= best_count) best = depth, best_count = count;
    }
    return best;
}

// The Hive key of a "key=value" folder name, or "" for another name.
std::string_view HiveKey(std::string_view folder) {
    const size_t eq = folder.find('=');
    return eq == std::string_view::npos || eq == 0 ? std::string_view() : folder.substr(0, eq);
}

// The partition key of each level: the Hive key shared by every folder of that level (lower
// case, a legal name, not used by an earlier level), else partition_<level>.
std::vector<Column> PartitionKeys(const std::vector<DatasetFile>& files, size_t depth) {
    std::vector<Column> keys;
    for (size_t level = 0; level < depth; ++level) {
        std::string name = GlueName(HiveKey(files.front().folders[level]));
        for (const DatasetFile& f : files) {
            if (name.empty() || GlueName(HiveKey(f.folders[level])) != name) {
                name.clear();
                break;
            }
        }
        const bool taken =
            std::any_of(keys.begin(), keys.end(), [&](const Column& c) { return c.name == name; });
        if (name.empty() || taken) name = "partition_" + std::to_string(level);
        keys.push_back(Column{std::move(name), "string", ""});
    }
    return keys;
}

template <typename K>
K MostCommon(const std::map<K, size_t>& counts, K fallback) {
    K best = fallback;
    size_t best_count = 0;
    for (const auto& [value, count] : counts) {
        if (count > best_count) best = value, best_count = count;
    }
    return best;
}

// A partition as the scan builds it: its files with their samples (when read).
struct PartitionBuild {
    std::string location;
    bool known = false;
    std::vector<std::pair<ScannedFile, std::optional<FileSample>>> files;
};
// What the files kept in a dataset say together.
struct SchemaBuild {
    format::InferredType inferred = format::InferredType::Struct({});
    std::vector<columnar::Field> parquet_fields;
    std::map<std::string, size_t> compressions;
    std::map<char, size_t> delimiters;
    std::map<bool, size_t> headers;

    void Add(const FileSample& sample) {
        ++compressions[sample.compression];
        ++delimiters[sample.csv_delimiter];
        ++headers[sample.csv_header];
        inferred.Merge(sample.inferred);
        crawl::MergeFields(sample.parquet_fields, &parquet_fields);
    }
};

DataFormat MajorityFormat(const PartitionMap& partitions) {
    std::map<DataFormat, size_t> counts;
    for (const auto& [values, part] : partitions) {
        for (const auto& [file, sample] : part.files) {
            if (sample) ++counts[sample->format];
        }
    }
    return MostCommon(counts, DataFormat::kUnknown);
}

Result<std::vector<DatasetFile>> Scan::ListDatasetFiles(const std::string& prefix) {
    TARN_ASSIGN_OR_RETURN(Folder listing, ListAll(store_, prefix, "", options_.list_page_size));
    std::vector<DatasetFile> files;
    for (ObjectInfo& o : listing.objects) {
        if (Ignored(o)) continue;
        const size_t depth = FoldersOf(o.key, prefix).size();
        files.push_back(DatasetFile{std::move(o), depth, {}});
    }
    if (files.empty()) return files;
    const size_t depth = ChooseDepth(files);
    std::vector<DatasetFile> placed;
    for (DatasetFile& f : files) {
        if (f.depth == depth) {
            placed.push_back(std::move(f));
            continue;
        }
        AddError(f.object.key, "at partition depth " + std::to_string(f.depth) +
                                   " where the dataset " + prefix + " has depth " +
                                   std::to_string(depth) + "; skipped");
    }
    for (DatasetFile& f : placed) f.folders = FoldersOf(f.object.key, prefix);
    return placed;
}

// Reads one file of a partition not yet known into `part`; an unreadable file is reported and
// left out of the table.
void Scan::SampleInto(const ObjectInfo& object, PartitionBuild* part) {
    if (options_.on_file) options_.on_file(object.key);
    ++result_.files_read;
    Result<FileSample> sample = crawl::SampleFile(store_, object, options_.sample_bytes);
    if (!sample.ok()) {
        AddError(object.key, sample.status().ToString());
        return;
    }
    ScannedFile file{object.key, object.size, sample->row_count};
    part->files.emplace_back(std::move(file), std::move(*sample));
}

PartitionMap Scan::BuildPartitions(const std::vector<DatasetFile>& files,
                                   const std::vector<Column>& keys, const std::string& prefix) {
    PartitionMap partitions;
    for (const DatasetFile& f : files) {
        std::vector<std::string> values;
        std::string location = prefix;
        for (std::string_view folder : f.folders) {
            const std::string_view key = HiveKey(folder);
            const bool hive = !key.empty() && keys[values.size()].name == GlueName(key);
            values.push_back(hive ? crawl::UrlDecode(folder.substr(key.size() + 1))
                                  : std::string(folder));
            location.append(folder).push_back('/');
        }
        PartitionBuild& part = partitions[std::move(values)];
        part.known = options_.known_partition_locations.count(location) > 0;
        part.location = std::move(location);
        if (part.known) {
            part.files.emplace_back(ScannedFile{f.object.key, f.object.size, std::nullopt},
                                    std::nullopt);
        } else {
            SampleInto(f.object, &part);
        }
    }
    return partitions;
}

// Keeps the files of the majority format in `dataset`'s partitions and merges their schemas.
void Scan::MergePartitions(PartitionMap partitions, ScannedDataset* dataset) {
    dataset->format = MajorityFormat(partitions);
    SchemaBuild schema;
    for (auto& [values, part] : partitions) {
        std::vector<ScannedFile> kept;
        for (auto& [file, sample] : part.files) {
            if (sample && sample->format != dataset->format) {
                AddError(file.key, std::string("a ") + DataFormatName(sample->format) +
                                       " file in a dataset of " + DataFormatName(dataset->format) +
                                       " files; skipped");
                continue;
            }
            if (sample) schema.Add(*sample);
            kept.push_back(std::move(file));
        }
        if (kept.empty() && !part.known) continue;  // nothing readable in it
        if (!part.known) dataset->new_partition_locations.push_back(part.location);
        dataset->partitions.push_back(ScannedPartition{values, part.location, std::move(kept)});
    }
    dataset->compression = MostCommon(schema.compressions, std::string());
    dataset->csv_delimiter = MostCommon(schema.delimiters, ',');
    dataset->csv_header = MostCommon(schema.headers, true);
    dataset->columns = dataset->format == DataFormat::kParquet
                           ? crawl::ColumnsOfFields(schema.parquet_fields)
                           : crawl::ColumnsOfInferred(schema.inferred);
}

Status Scan::ScanDataset(const std::string& prefix) {
    TARN_ASSIGN_OR_RETURN(std::vector<DatasetFile> files, ListDatasetFiles(prefix));
    if (files.empty()) return Status::Ok();
    ScannedDataset dataset;
    const std::vector<std::string_view> segments = crawl::SplitKey(prefix);
    dataset.database = GlueName(segments[0]);
    dataset.table = GlueName(segments[1]);
    dataset.location = prefix;
    dataset.partition_keys = PartitionKeys(files, files.front().folders.size());
    MergePartitions(BuildPartitions(files, dataset.partition_keys, prefix), &dataset);
    if (!dataset.partitions.empty()) result_.datasets.push_back(std::move(dataset));
    return Status::Ok();
}

ScanResult Scan::Finish() && {
    std::sort(result_.datasets.begin(), result_.datasets.end(),
              [](const ScannedDataset& a, const ScannedDataset& b) {
                  return std::tie(a.database, a.table, a.location) <
                         std::tie(b.database, b.table, b.location);
              });
    std::stable_sort(result_.errors.begin(), result_.errors.end(),
                     [](const FileError& a, const FileError& b) { return a.key < b.key; });
    return std::move(result_);
}

// The target with its trailing '/', checked: "", "zone/" or "zone/dataset/".
Result<std::string> NormalizeTarget(std::string_view target) {
    if (target.empty()) return std::string();
    std::string out(target);
    if (!out.ends_with('/')) out.push_back('/');
    const std::string_view path = std::string_view(out).substr(0, out.size() - 1);
    if (!storage::ValidateKey(path).ok()) {
        return Status::InvalidArgument("crawl target \"" + std::string(target) +
                                       "\" is not a lake prefix");
    }
    if (std::count(out.begin(), out.end(), '/') > 2) {
        return Status::InvalidArgument("crawl target \"" + std::string(target) +
                                       "\" is deeper than a dataset folder (zone/dataset/)");
    }
    return out;
}

}  // namespace

Result<ScanResult> ScanTarget(storage::ObjectStore& store, std::string_view target,
                              const ScanOptions& options) {
    if (options.list_page_size == 0) {
        return Status::InvalidArgument("crawl: list_page_size must be at least 1");
    }
    TARN_ASSIGN_OR_RETURN(std::string prefix, NormalizeTarget(target));
    Scan scan(store, std::move(prefix), options);
    TARN_RETURN_IF_ERROR(scan.Run());
    return std::move(scan).Finish();
}

}  // namespace tarn::catalog
