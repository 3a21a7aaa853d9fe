// tarn: a self-hosted streaming data lake in one program. See README.md and DESIGN.md.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
    CLI::App app{"tarn: a self-hosted streaming data lake (Kinesis, Firehose, Glue, Athena twins)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tarn 0.1.0");
    int exit_code = 0;
    tarn::cli::AddServerCommand(app, &exit_code);
    tarn::cli::AddUpCommand(app, &exit_code);
    tarn::cli::AddGenCommand(app, &exit_code);
    tarn::cli::AddParquetCommand(app, &exit_code);
    tarn::cli::AddConvertCommand(app, &exit_code);
    tarn::cli::AddCrawlCommand(app, &exit_code);
    tarn::cli::AddCatalogCommand(app, &exit_code);
    tarn::cli::AddDeliveryCommand(app, &exit_code);
    tarn::cli::AddSqlCommand(app, &exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version are "errors" that exit 0; every real usage error exits 2.
        const int status = app.exit(e);
        return status == 0 ? 0 : 2;
    }
    return exit_code;
}
