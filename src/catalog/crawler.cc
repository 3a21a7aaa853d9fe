#include "catalog/crawler.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "catalog/crawl_internal.h"
#include "catalog/crawl_scan.h"
#include "catalog/sqlite_catalog.h"
#include "columnar/type_parser.h"
#include "common/text.h"

namespace tarn::catalog {
namespace {

constexpr size_t kFilesPerCommit = 1000;  // a crawl commits in batches: short transactions

std::string WithSlash(std::string_view prefix) {
    std::string out(prefix);
    if (!out.empty() && out.back() != '/') out.push_back('/');
    return out;
}

std::string Qualified(const Table& t) { return t.database + "." + t.name; }

// What one run does, with its counters in `run`.
class CrawlRunner {
public:
    CrawlRunner(Catalog& catalog, storage::ObjectStore& store, const Crawler& crawler,
                const CrawlControl& control, CrawlRun* run)
        : catalog_(catalog), store_(store), crawler_(crawler), control_(control), run_(run) {}

    Status Run() {
        for (const std::string& target : crawler_.targets) {
            if (Cancelled()) return Status::Ok();
            TARN_RETURN_IF_ERROR(CrawlTarget(WithSlash(target)));
        }
        return Status::Ok();
    }
    bool Cancelled() const {
        return control_.cancel != nullptr && control_.cancel->load(std::memory_order_relaxed);
    }

private:
    Status CrawlTarget(const std::string& target) {
        ScanOptions options;
        options.sample_bytes = crawler_.sample_bytes;
        options.exclusions = crawler_.exclusions;
        options.on_file = control_.on_file;
        if (crawler_.recrawl_new_folders_only) {
            TARN_ASSIGN_OR_RETURN(options.known_partition_locations, KnownPartitions(target));
        }
        TARN_ASSIGN_OR_RETURN(ScanResult scan, ScanTarget(store_, target, options));
        run_->files_read += scan.files_read;
        for (const FileError& e : scan.errors) Report(e.key + ": " + e.reason);
        errored_.clear();
        for (const FileError& e : scan.errors) errored_.insert(e.key);
        std::set<std::pair<std::string, std::string>> found;  // (database, table)
        for (const ScannedDataset& d : scan.datasets) {
            if (Cancelled()) return Status::Ok();
            TARN_ASSIGN_OR_RETURN(auto name, ApplyDataset(d));
            if (name) found.insert(*name);
        }
        return HandleVanishedTables(target, found);
    }

    // Tables of the crawler's scope: its database, or every database.
    Result<std::vector<Table>> TablesInScope() {
        std::vector<std::string> databases;
        if (!crawler_.database.empty()) {
            databases.push_back(crawler_.database);
        } else {
            TARN_ASSIGN_OR_RETURN(auto all, catalog_.ListDatabases());
            for (auto& d : all) databases.push_back(d.name);
        }
        std::vector<Table> out;
        for (const std::string& db : databases) {
            auto tables = catalog_.ListTables(db);
            if (tables.status().code() == StatusCode::kNotFound) continue;
            TARN_RETURN_IF_ERROR(tables.status());
            for (Table& t : *tables) out.push_back(std::move(t));
        }
        return out;
    }

    Result<std::set<std::string>> KnownPartitions(const std::string& target) {
        std::set<std::string> known;
        TARN_ASSIGN_OR_RETURN(auto tables, TablesInScope());
        for (const Table& t : tables) {
            if (!t.location.starts_with(target) && !target.starts_with(t.location)) continue;
            TARN_ASSIGN_OR_RETURN(auto parts, catalog_.ListPartitions(t.database, t.name));
            for (const Partition& p : parts) known.insert(p.location);
        }
        return known;
    }

    // Creates or evolves the dataset's table; returns its (database, name), or nothing when it
    // was left alone.
    Result<std::optional<std::pair<std::string, std::string>>> ApplyDataset(
        const ScannedDataset& d) {
        const std::string database = crawler_.database.empty() ? d.database : crawler_.database;
        TARN_RETURN_IF_ERROR(EnsureDatabase(database));
        const std::string name = GlueName(crawler_.table_prefix + d.table);
        auto existing = catalog_.GetTable(database, name);
        if (existing.status().code() == StatusCode::kNotFound) {
            if (d.format == DataFormat::kUnknown) {
                Report(d.location + ": no readable file; table " + database + "." + name +
                       " not created");
                return std::optional<std::pair<std::string, std::string>>();
            }
            TARN_ASSIGN_OR_RETURN(Table created, CreateTable(database, name, d));
            TARN_RETURN_IF_ERROR(SyncPartitionsAndFiles(created, d));
            return std::optional(std::pair(database, name));
        }
        TARN_RETURN_IF_ERROR(existing.status());
        Table& table = *existing;
        if (table.location != d.location) {
            Report(d.location + ": table " + Qualified(table) + " already exists at " +
                   table.location + "; left alone");
            return std::optional<std::pair<std::string, std::string>>();
        }
        if (!SameKeyNames(table.partition_keys, d.partition_keys)) {
            Report(d.location + ": partition keys (" + KeyNames(d.partition_keys) +
                   ") differ from table " + Qualified(table) + "'s (" +
                   KeyNames(table.partition_keys) + "); left alone");
            return std::optional(std::pair(database, name));
        }
        TARN_ASSIGN_OR_RETURN(table, EvolveTable(std::move(table), d));
        TARN_RETURN_IF_ERROR(SyncPartitionsAndFiles(table, d));
        return std::optional(std::pair(database, name));
    }

    // Reads first: a write transaction (and its fsync) per dataset per scheduled crawl would be
    // wasted on a database that exists.
    Status EnsureDatabase(const std::string& database) {
        auto existing = catalog_.GetDatabase(database);
        if (existing.ok() || existing.status().code() != StatusCode::kNotFound) {
            return existing.status();
        }
        Status s = catalog_.CreateDatabase({.name = database});
        return s.code() == StatusCode::kAlreadyExists ? Status::Ok() : s;
    }

    Result<Table> CreateTable(const std::string& database, const std::string& name,
                              const ScannedDataset& d) {
        Table t;
        t.database = database;
        t.name = name;
        t.location = d.location;
        t.format = d.format;
        t.compression = d.compression;
        t.csv_delimiter = d.csv_delimiter;
        t.csv_header = d.csv_header;
        t.columns = d.columns;
        t.partition_keys = d.partition_keys;
        t.parameters["tarn.crawler"] = crawler_.name;
        TARN_RETURN_IF_ERROR(catalog_.CreateTable(t));
        ++run_->tables_created;
        return catalog_.GetTable(database, name);
    }

    Result<Table> EvolveTable(Table table, const ScannedDataset& d) {
        std::vector<std::string> changes;
        Table next = table;
        if (table.kind == TableKind::kExternal && !d.columns.empty()) {
            MergeColumns(d.columns, &next.columns, &changes);
        }
        const bool undeprecate = table.deprecated;
        next.deprecated = false;
        if (table.format == DataFormat::kUnknown && d.format != DataFormat::kUnknown) {
            next.format = d.format;
            next.compression = d.compression;
            changes.push_back("format " + std::string(DataFormatName(d.format)));
        }
        if (changes.empty() && !undeprecate) return table;
        std::string change;
        for (const std::string& c : changes) change += (change.empty() ? "" : "; ") + c;
        if (crawler_.update_behavior == UpdateBehavior::kLog && !changes.empty()) {
            Report(Qualified(table) +
                   ": schema change not applied (SchemaChangePolicy LOG): " + change);
            if (!undeprecate) return table;
            next.columns = table.columns;
            next.format = table.format;
            next.compression = table.compression;
            change.clear();
        }
        if (undeprecate) change += std::string(change.empty() ? "" : "; ") + "found again";
        TARN_ASSIGN_OR_RETURN(Table stored,
                              catalog_.UpdateTable(next, change, table.schema_version));
        ++run_->tables_updated;
        return stored;
    }

    // New partitions are added; for an external table, the file list follows the lake.
    Status SyncPartitionsAndFiles(const Table& table, const ScannedDataset& d) {
        if (!table.partition_keys.empty()) {
            TARN_ASSIGN_OR_RETURN(auto existing,
                                  catalog_.ListPartitions(table.database, table.name));
            std::set<std::vector<std::string>> have;
            for (const Partition& p : existing) have.insert(p.values);
            std::vector<Partition> added;
            std::set<std::vector<std::string>> seen;
            for (const ScannedPartition& p : d.partitions) {
                seen.insert(p.values);
                if (!have.contains(p.values))
                    added.push_back({.values = p.values, .location = p.location});
            }
            if (!added.empty()) {
                TARN_ASSIGN_OR_RETURN(auto made,
                                      catalog_.CreatePartitions(table.database, table.name, added));
                for (const Status& s : made) run_->partitions_added += s.ok() ? 1 : 0;
            }
            if (table.kind == TableKind::kExternal) {
                TARN_RETURN_IF_ERROR(HandleVanishedPartitions(table, existing, seen));
            }
        }
        if (table.kind == TableKind::kManaged) return Status::Ok();
        return SyncFiles(table, d);
    }

    Status SyncFiles(const Table& table, const ScannedDataset& d) {
        TARN_ASSIGN_OR_RETURN(auto listed, catalog_.ListFiles(table.database, table.name));
        std::set<std::string> listed_keys;
        for (const DataFile& f : listed) listed_keys.insert(f.key);
        std::set<std::string> present;
        std::vector<DataFile> added;
        for (const ScannedPartition& p : d.partitions) {
            for (const ScannedFile& f : p.files) {
                present.insert(f.key);
                if (listed_keys.contains(f.key)) continue;
                added.push_back({.key = f.key,
                                 .partition_values = p.values,
                                 .bytes = f.bytes,
                                 .row_count = f.row_count});
            }
        }
        // A file that could not be read this time is still there: it keeps its place.
        std::vector<std::string> gone;
        for (const std::string& key : listed_keys) {
            if (!present.contains(key) && !errored_.contains(key)) gone.push_back(key);
        }
        for (size_t i = 0; i < std::max(added.size(), gone.size()); i += kFilesPerCommit) {
            FileCommit commit{.database = table.database, .table = table.name};
            for (size_t j = i; j < std::min(added.size(), i + kFilesPerCommit); ++j) {
                commit.added.push_back(std::move(added[j]));
            }
            for (size_t j = i; j < std::min(gone.size(), i + kFilesPerCommit); ++j) {
                commit.forgotten.push_back(gone[j]);
            }
            TARN_RETURN_IF_ERROR(catalog_.CommitFiles(commit).status());
        }
        return Status::Ok();
    }

    Status HandleVanishedPartitions(const Table& table, const std::vector<Partition>& existing,
                                    const std::set<std::vector<std::string>>& seen) {
        std::vector<std::vector<std::string>> vanished;
        for (const Partition& p : existing) {
            if (!seen.contains(p.values) && HoldsNoFile(p.location)) vanished.push_back(p.values);
        }
        if (vanished.empty()) return Status::Ok();
        if (crawler_.delete_behavior == DeleteBehavior::kLog) {
            for (const auto& v : vanished) {
                Report(Qualified(table) + ": partition at " + LocationOf(existing, v) +
                       " holds no data any more (DeleteBehavior LOG)");
            }
            return Status::Ok();
        }
        return catalog_.DeletePartitions(table.database, table.name, vanished).status();
    }

    // Tables under the target that the scan no longer finds.
    Status HandleVanishedTables(const std::string& target,
                                const std::set<std::pair<std::string, std::string>>& found) {
        TARN_ASSIGN_OR_RETURN(auto tables, TablesInScope());
        for (Table& t : tables) {
            if (t.kind == TableKind::kManaged || t.deprecated) continue;
            if (!t.location.starts_with(target) || found.contains({t.database, t.name})) continue;
            if (!HoldsNoFile(t.location)) continue;  // unreadable, but there: not gone
            switch (crawler_.delete_behavior) {
                case DeleteBehavior::kLog:
                    Report(Qualified(t) + ": no data at " + t.location + " (DeleteBehavior LOG)");
                    break;
                case DeleteBehavior::kDeleteFromDatabase:
                    TARN_RETURN_IF_ERROR(catalog_.DeleteTable(t.database, t.name));
                    ++run_->tables_deleted;
                    break;
                case DeleteBehavior::kDeprecateInDatabase: {
                    t.deprecated = true;
                    TARN_RETURN_IF_ERROR(catalog_
                                             .UpdateTable(t, "deprecated: no data at " + t.location,
                                                          t.schema_version)
                                             .status());
                    ++run_->tables_deleted;
                    break;
                }
            }
        }
        return Status::Ok();
    }

    // True when no object is under `prefix` (its data is really gone, not merely unreadable).
    bool HoldsNoFile(const std::string& prefix) {
        for (const std::string& key : errored_) {
            if (key.starts_with(prefix)) return false;
        }
        auto page = store_.List(prefix, {.max_keys = 1});
        return page.ok() && page->objects.empty();
    }

    static std::string LocationOf(const std::vector<Partition>& parts,
                                  const std::vector<std::string>& values) {
        for (const Partition& p : parts) {
            if (p.values == values) return p.location;
        }
        return "?";
    }
    static bool SameKeyNames(const std::vector<Column>& a, const std::vector<Column>& b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i) {
            if (AsciiLower(a[i].name) != AsciiLower(b[i].name)) return false;
        }
        return true;
    }
    static std::string KeyNames(const std::vector<Column>& keys) {
        std::string out;
        for (const Column& c : keys) out += (out.empty() ? "" : ", ") + c.name;
        return out;
    }
    void Report(std::string line) { run_->errors.push_back(std::move(line)); }

    Catalog& catalog_;
    storage::ObjectStore& store_;
    const Crawler& crawler_;
    const CrawlControl& control_;
    CrawlRun* run_;
    std::set<std::string> errored_;  // keys the current target's scan could not read
};

}  // namespace

void MergeColumns(const std::vector<Column>& found, std::vector<Column>* columns,
                  std::vector<std::string>* changes) {
    for (const Column& c : found) {
        auto it = std::find_if(columns->begin(), columns->end(), [&](const Column& have) {
            return AsciiLower(have.name) == AsciiLower(c.name);
        });
        if (it == columns->end()) {
            columns->push_back(c);
            changes->push_back("added column " + c.name + " " + c.type);
            continue;
        }
        const std::string widened = WidenHiveType(it->type, c.type);
        if (widened != it->type) {
            changes->push_back("widened column " + c.name + " " + it->type + " -> " + widened);
            it->type = widened;
        }
    }
}

std::string WidenHiveType(std::string_view a, std::string_view b) {
    if (a == b) return std::string(a);
    auto left = columnar::ParseDataType(a);
    auto right = columnar::ParseDataType(b);
    if (!left.ok() || !right.ok()) return "string";
    return columnar::HiveTypeName(crawl::WidenType(*left, *right));
}

Result<CrawlRun> RunCrawl(Catalog& catalog, storage::ObjectStore& store, const Crawler& crawler,
                          const CrawlControl& control) {
    CrawlRun run;
    run.crawler = crawler.name;
    run.started_ms = NowMs();
    TARN_ASSIGN_OR_RETURN(run.id, catalog.StartCrawlRun(crawler.name, run.started_ms));
    CrawlRunner runner(catalog, store, crawler, control, &run);
    const Status status = runner.Run();
    run.finished_ms = NowMs();
    if (!status.ok()) {
        run.state = "FAILED";
        run.message = status.message();
    } else {
        run.state = runner.Cancelled() ? "CANCELLED" : "SUCCEEDED";
    }
    TARN_RETURN_IF_ERROR(catalog.FinishCrawlRun(run));
    return run;
}

}  // namespace tarn::catalog
