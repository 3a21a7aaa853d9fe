// The crawler's apply half: one run of a Crawler (catalog_types.h) scans its targets
// (catalog/crawl_scan.h) and brings the catalog in line with what the lake holds.
//
//   TARN_ASSIGN_OR_RETURN(CrawlRun run, RunCrawl(*catalog, *store, crawler));
//
// Per dataset found (zone "raw", folder "events"):
//   - the database is the crawler's DatabaseName, or the zone when it has none; it is created
//     when missing. The table is TablePrefix + the folder name.
//   - A new table is created (external, at schema version 1) with the scanned columns, partition
//     keys, format and compression.
//   - An existing table's schema evolves by the SchemaChangePolicy: UPDATE_IN_DATABASE adds new
//     columns at the end and widens changed types (one new schema version, its change saying
//     what), and never drops a column (a field that stopped appearing stays, nullable); LOG only
//     reports what would change. A managed table (written by tarn's jobs) never has its schema
//     rewritten. A table whose partition keys differ from the scan's is reported, not changed.
//     A deprecated table found again is undeprecated.
//   - Partitions follow the table's schema: new ones are added with their location; for an
//     external table the files are registered in the table's file list (the engine reads that
//     list), and files gone from the lake leave it. A managed table's file list belongs to its
//     writers (they register files through the lake commit), so the crawler leaves it alone.
// Tables of the crawler's databases whose location is under a target but were not found (no
// data left) follow the DeleteBehavior: DEPRECATE_IN_DATABASE (default) marks them deprecated,
// DELETE_FROM_DATABASE deletes them, LOG reports them. A dataset whose files were all unreadable
// is not "gone": nothing is deprecated over errors.
// With RecrawlPolicy CRAWL_NEW_FOLDERS_ONLY only partitions not yet in the catalog are read.
//
// Each run is recorded (Catalog::StartCrawlRun / FinishCrawlRun) with its counters and one line
// per file that could not be read; unreadable files never stop a run. A run fails only when the
// store cannot be listed or the catalog cannot be written.
//
// Thread-safety: RunCrawl may run alongside anything; two runs of one crawler at once are the
// caller's to prevent (CrawlerService does).
#pragma once

#include <atomic>
#include <functional>
#include <string_view>

#include "catalog/catalog.h"
#include "storage/storage.h"

namespace tarn::catalog {

struct CrawlControl {
    const std::atomic<bool>* cancel = nullptr;  // checked between datasets: the run is CANCELLED
    std::function<void(std::string_view key)> on_file;  // progress
};

// Runs the crawler once and returns its run, as recorded. A run that ends FAILED is returned
// too (its message says why); a non-OK Result means the run could not even be recorded.
Result<CrawlRun> RunCrawl(Catalog& catalog, storage::ObjectStore& store, const Crawler& crawler,
                          const CrawlControl& control = {});

// The least Hive type holding both (a never-failing widening: numbers widen, structs merge
// member by member, anything else conflicting is "string").
std::string WidenHiveType(std::string_view a, std::string_view b);

// Schema evolution as the crawler does it (and delivery, for the tables it writes): each column of
// `found` that `columns` lacks (names compared case-insensitively) is appended, and each one it has
// is widened with WidenHiveType. Every change is described in `changes` ("added column x bigint",
// "widened column y int -> bigint"); none when `columns` already holds `found`.
void MergeColumns(const std::vector<Column>& found, std::vector<Column>* columns,
                  std::vector<std::string>* changes);

}  // namespace tarn::catalog
