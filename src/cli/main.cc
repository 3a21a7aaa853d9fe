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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}
