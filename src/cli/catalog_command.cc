// `tarn crawl` and `tarn catalog ...`: the crawler and the catalog from the command line.
//
//   tarn crawl [--data DIR] [TARGET ...]      crawl raw/, processed/, curated/ (or the targets)
//   tarn catalog tables [--data DIR] [DATABASE]
//   tarn catalog describe DATABASE.TABLE
//   tarn catalog partitions DATABASE.TABLE
//   tarn catalog ddl DATABASE.TABLE           Hive/Athena CREATE EXTERNAL TABLE for other engines
//
// `tarn crawl` owns the data dir while it runs (it takes the lock; with a server running, start
// the server's crawler through the Glue API instead, as the error says). The catalog commands only
// read catalog.db, which SQLite's WAL mode lets them do beside a running server.
// Exit status: 0 done (a crawl with unreadable files included: they are listed), 1 failed,
// 2 usage errors.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/crawler.h"
#include "catalog/table_ddl.h"
#include "catalog/table_storage.h"
#include "cli/commands.h"
#include "cli/lake_services.h"
#include "cli/progress.h"
#include "storage/data_dir.h"
#include "storage/local_store.h"

namespace tarn::cli {
namespace {

constexpr const char* kCliCrawlerName = "tarn-cli";

int Fail(const char* command, const Status& status) {
    std::fprintf(stderr, "tarn %s: %s\n", command, status.message().c_str());
    return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<catalog::Catalog>> OpenExistingCatalog(const std::string& data_dir) {
    const std::string path = data_dir + "/catalog.db";
    if (!std::filesystem::exists(path)) {
        return Status::NotFound("no catalog at " + path +
                                " (run `tarn crawl` or `tarn up` on this data dir first)");
    }
    return catalog::Catalog::Open(path);
}

// "raw.events" -> ("raw", "events").
Result<std::pair<std::string, std::string>> SplitTableName(const std::string& name) {
    const size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
        return Status::InvalidArgument("expected DATABASE.TABLE (e.g. raw.events), got '" + name +
                                       "'");
    }
    return std::pair(name.substr(0, dot), name.substr(dot + 1));
}

// ---- tarn crawl ----

struct CrawlFlags {
    std::string data_dir = "./tarn-data";
    std::vector<std::string> targets;
    std::string database;
};

Result<catalog::CrawlRun> Crawl(const CrawlFlags& flags) {
    auto lock = storage::DataDirLock::Acquire(flags.data_dir);
    if (!lock.ok()) {
        auto owner = storage::DataDirLock::QueryOwner(flags.data_dir);
        if (owner.ok() && owner->has_value() && !(*owner)->endpoint.empty()) {
            const std::string& endpoint = (*owner)->endpoint;
            return Status::Unavailable(
                flags.data_dir + " is held by the tarn server at " + endpoint +
                "; crawl there: aws glue start-crawler --name " + kDefaultCrawlerName +
                " --endpoint-url " + endpoint + " (its crawler covers raw/ and processed/)");
        }
        return lock.status();
    }
    TARN_ASSIGN_OR_RETURN(auto store, storage::LocalStore::Open(flags.data_dir + "/lake"));
    TARN_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::Open(flags.data_dir + "/catalog.db"));
    catalog::Crawler crawler;
    crawler.name = kCliCrawlerName;
    crawler.description = "tarn crawl";
    crawler.database = flags.database;
    crawler.targets = flags.targets.empty()
                          ? std::vector<std::string>{"raw/", "processed/", "curated/"}
                          : flags.targets;
    if (catalog->GetCrawler(crawler.name).ok()) {
        TARN_RETURN_IF_ERROR(catalog->UpdateCrawler(crawler));
    } else {
        TARN_RETURN_IF_ERROR(catalog->CreateCrawler(crawler));
    }
    ProgressLine progress(ProgressLine::StderrIsTerminal(), "tarn crawl", "files");
    uint64_t files = 0;
    catalog::CrawlControl control;
    control.on_file = [&](std::string_view) { progress.Update(++files); };
    TARN_ASSIGN_OR_RETURN(catalog::CrawlRun run,
                          catalog::RunCrawl(*catalog, *store, crawler, control));
    progress.Finish(files);
    return run;
}

int RunCrawlCommand(const CrawlFlags& flags) {
    auto run = Crawl(flags);
    if (!run.ok()) return Fail("crawl", run.status());
    for (const std::string& line : run->errors)
        std::fprintf(stderr, "tarn crawl: %s\n", line.c_str());
    std::fprintf(stderr,
                 "tarn crawl: %s in %.1f s: %llu tables created, %llu updated, %llu deprecated or "
                 "deleted, %llu partitions added, %llu files read, %zu problems\n",
                 run->state.c_str(), (run->finished_ms - run->started_ms) / 1000.0,
                 static_cast<unsigned long long>(run->tables_created),
                 static_cast<unsigned long long>(run->tables_updated),
                 static_cast<unsigned long long>(run->tables_deleted),
                 static_cast<unsigned long long>(run->partitions_added),
                 static_cast<unsigned long long>(run->files_read), run->errors.size());
    if (run->state == "FAILED") {
        std::fprintf(stderr, "tarn crawl: %s\n", run->message.c_str());
        return 1;
    }
    return 0;
}

// ---- tarn catalog ----

struct CatalogFlags {
    std::string data_dir = "./tarn-data";
    std::string name;  // DATABASE for `tables`, DATABASE.TABLE otherwise
};

std::string Join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
    return out;
}

Status PrintTables(catalog::Catalog& catalog, const std::string& only) {
    TARN_ASSIGN_OR_RETURN(auto databases, catalog.ListDatabases());
    std::printf("%-40s %-8s %-8s %7s %10s %7s  %s\n", "table", "format", "kind", "columns",
                "partitions", "version", "location");
    for (const auto& db : databases) {
        if (!only.empty() && db.name != only) continue;
        TARN_ASSIGN_OR_RETURN(auto tables, catalog.ListTables(db.name));
        for (const auto& t : tables) {
            TARN_ASSIGN_OR_RETURN(auto parts, catalog.ListPartitions(t.database, t.name));
            std::printf("%-40s %-8s %-8s %7zu %10zu %7lld  %s%s\n",
                        (t.database + "." + t.name).c_str(), catalog::DataFormatName(t.format),
                        t.kind == catalog::TableKind::kManaged ? "managed" : "external",
                        t.columns.size(), parts.size(), static_cast<long long>(t.schema_version),
                        t.location.c_str(), t.deprecated ? "  (deprecated)" : "");
        }
    }
    return Status::Ok();
}

Status PrintDescribe(catalog::Catalog& catalog, const std::string& name) {
    TARN_ASSIGN_OR_RETURN(auto qualified, SplitTableName(name));
    TARN_ASSIGN_OR_RETURN(auto t, catalog.GetTable(qualified.first, qualified.second));
    std::printf("table       %s.%s%s\n", t.database.c_str(), t.name.c_str(),
                t.deprecated ? " (deprecated: its data is gone)" : "");
    std::printf("location    %s\n", t.location.c_str());
    std::printf("format      %s, compression %s\n", catalog::DataFormatName(t.format),
                t.compression.empty() ? "unknown" : t.compression.c_str());
    std::printf("kind        %s\n",
                t.kind == catalog::TableKind::kManaged ? "managed" : "external");
    if (!t.time_partition_source.empty()) {
        std::printf("time parts  from %s\n", t.time_partition_source.c_str());
    }
    std::printf("columns\n");
    for (const auto& c : t.columns) {
        std::printf("  %-30s %s%s%s\n", c.name.c_str(), c.type.c_str(),
                    c.comment.empty() ? "" : "  -- ", c.comment.c_str());
    }
    std::printf("partition keys\n");
    for (const auto& c : t.partition_keys)
        std::printf("  %-30s %s\n", c.name.c_str(), c.type.c_str());
    TARN_ASSIGN_OR_RETURN(auto versions, catalog.GetTableVersions(t.database, t.name));
    std::printf("schema versions\n");
    for (const auto& v : versions) {
        std::printf("  %3lld  %s\n", static_cast<long long>(v.version), v.change.c_str());
    }
    return Status::Ok();
}

Status PrintPartitions(catalog::Catalog& catalog, const std::string& name) {
    TARN_ASSIGN_OR_RETURN(auto qualified, SplitTableName(name));
    TARN_ASSIGN_OR_RETURN(auto parts, catalog.ListPartitions(qualified.first, qualified.second));
    std::printf("%-32s %7s %12s %12s  %s\n", "values", "files", "bytes", "rows", "location");
    for (const auto& p : parts) {
        const std::string rows = p.row_count ? std::to_string(*p.row_count) : "?";
        std::printf("%-32s %7llu %12llu %12s  %s\n", Join(p.values, "/").c_str(),
                    static_cast<unsigned long long>(p.file_count),
                    static_cast<unsigned long long>(p.bytes), rows.c_str(), p.location.c_str());
    }
    return Status::Ok();
}

Status PrintDdl(catalog::Catalog& catalog, const std::string& data_dir, const std::string& name) {
    TARN_ASSIGN_OR_RETURN(auto qualified, SplitTableName(name));
    TARN_ASSIGN_OR_RETURN(auto t, catalog.GetTable(qualified.first, qualified.second));
    const catalog::LakeLocation lake(LocalLakeUri(data_dir + "/lake"));
    std::printf("%s\n", catalog::HiveDdl(t, lake).c_str());
    return Status::Ok();
}

void AddCatalogSubcommand(CLI::App* parent, const char* name, const char* help, bool name_required,
                          int* exit_code,
                          std::function<Status(catalog::Catalog&, const CatalogFlags&)> action) {
    auto flags = std::make_shared<CatalogFlags>();
    CLI::App* cmd = parent->add_subcommand(name, help);
    cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
    auto* arg = cmd->add_option(name_required ? "TABLE" : "DATABASE", flags->name,
                                name_required ? "DATABASE.TABLE" : "Only this database");
    if (name_required) arg->required();
    cmd->callback([flags, exit_code, action] {
        auto catalog = OpenExistingCatalog(flags->data_dir);
        if (!catalog.ok()) {
            *exit_code = Fail("catalog", catalog.status());
            return;
        }
        const Status s = action(**catalog, *flags);
        *exit_code = s.ok() ? 0 : Fail("catalog", s);
    });
}

}  // namespace

void AddCrawlCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<CrawlFlags>();
    CLI::App* cmd = app.add_subcommand(
        "crawl", "Crawl the lake: infer schemas, evolve them, register tables and partitions");
    cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
    cmd->add_option("--database", flags->database,
                    "Put every table in this database (default: one database per zone)");
    cmd->add_option("TARGET", flags->targets,
                    "Lake prefixes to crawl: a zone (raw/) or a dataset (raw/events/); default "
                    "raw/ processed/ curated/");
    cmd->callback([flags, exit_code] { *exit_code = RunCrawlCommand(*flags); });
}

void AddCatalogCommand(CLI::App& app, int* exit_code) {
    CLI::App* cmd =
        app.add_subcommand("catalog", "Show the catalog: tables, schemas, partitions, DDL");
    cmd->require_subcommand(1);
    AddCatalogSubcommand(
        cmd, "tables", "List the tables", false, exit_code,
        [](catalog::Catalog& c, const CatalogFlags& f) { return PrintTables(c, f.name); });
    AddCatalogSubcommand(
        cmd, "describe", "A table's columns, partition keys and schema versions", true, exit_code,
        [](catalog::Catalog& c, const CatalogFlags& f) { return PrintDescribe(c, f.name); });
    AddCatalogSubcommand(
        cmd, "partitions", "A table's partitions with their files, bytes and rows", true, exit_code,
        [](catalog::Catalog& c, const CatalogFlags& f) { return PrintPartitions(c, f.name); });
    AddCatalogSubcommand(
        cmd, "ddl", "Hive/Athena CREATE EXTERNAL TABLE for the table, for Athena, Trino or Spark",
        true, exit_code,
        [](catalog::Catalog& c, const CatalogFlags& f) { return PrintDdl(c, f.data_dir, f.name); });
}

}  // namespace tarn::cli
