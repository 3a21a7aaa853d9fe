// The `tarn` subcommands. Each Add*Command registers one subcommand (its options and its action)
// on the root CLI11 app; when the subcommand runs, its process exit status is stored in *exit_code.
// Actions report errors as one clear line on stderr and a non-zero exit status.
#pragma once

namespace CLI {
class App;
}

namespace tarn::cli {

void AddServerCommand(CLI::App& app, int* exit_code);  // tarn server
void AddUpCommand(CLI::App& app, int* exit_code);      // tarn up
void AddGenCommand(CLI::App& app, int* exit_code);     // tarn gen
void AddParquetCommand(CLI::App& app, int* exit_code);  // tarn parquet
void AddConvertCommand(CLI::App& app, int* exit_code);  // tarn convert
void AddCrawlCommand(CLI::App& app, int* exit_code);    // tarn crawl
void AddCatalogCommand(CLI::App& app, int* exit_code);  // tarn catalog
void AddDeliveryCommand(CLI::App& app, int* exit_code);  // tarn delivery
void AddSqlCommand(CLI::App& app, int* exit_code);       // tarn sql

}  // namespace tarn::cli
