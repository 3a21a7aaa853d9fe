// `tarn sql`: Athena's console on the command line.
//
//   tarn sql [--data DIR | --endpoint URL] [-c SQL | -f FILE] [--format table|csv|json]
//
// With -c or -f (or SQL on a non-terminal stdin) it runs the statements in order and stops at the
// first error (batch mode); on a terminal without them it is a REPL: multi-line statements end
// with ';', line editing and history (~/.tarn_sql_history) through libedit, and after each result
// the row count, time and bytes scanned. Embedded on a data dir it reads the catalog and the lake
// directly; when a server holds the data dir, or with --endpoint, the server runs the queries.
// Exit status: 0 done, 1 a statement failed, 2 usage errors.
#include <editline/readline.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/sql_session.h"

namespace tarn::cli {
namespace {

struct SqlFlags {
    std::string data_dir = "./tarn-data";
    std::string endpoint;
    std::string command;
    std::string file;
    std::string format;  // default: table on a terminal, csv otherwise
};

int Fail(const Status& status) {
    std::fprintf(stderr, "tarn sql: %s\n", status.message().c_str());
    return 1;
}

// Runs one statement and prints its answer; false when it failed.
bool RunOne(SqlSession& session, const std::string& statement, const std::string& format,
            bool show_stats) {
    auto answer = session.Run(statement, format);
    if (!answer.ok()) {
        Fail(answer.status());
        return false;
    }
    std::fwrite(answer->text.data(), 1, answer->text.size(), stdout);
    std::fflush(stdout);
    if (show_stats && !answer->stats_line.empty()) {
        std::fprintf(stderr, "%s\n", answer->stats_line.c_str());
    }
    return true;
}

int RunBatch(SqlSession& session, const std::string& script, const std::string& format) {
    const std::vector<std::string> statements = SplitSqlStatements(script);
    if (statements.empty()) {
        std::fprintf(stderr, "tarn sql: no statement to run\n");
        return 2;
    }
    const bool show_stats = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO);
    for (const std::string& s : statements) {
        if (!RunOne(session, s, format, show_stats)) return 1;
    }
    return 0;
}

std::string HistoryPath() {
    const char* home = std::getenv("HOME");
    return home ? std::string(home) + "/.tarn_sql_history" : std::string();
}

int RunRepl(SqlSession& session, const std::string& format) {
    std::fprintf(stderr, "tarn sql (%s). End statements with ';'. \\q or Ctrl-D quits.\n",
                 session.Describe().c_str());
    const std::string history = HistoryPath();
    using_history();
    if (!history.empty()) read_history(history.c_str());
    std::string buffer;
    while (true) {
        char* line = readline(buffer.empty() ? "tarn> " : "   -> ");
        if (line == nullptr) break;  // Ctrl-D
        std::string text(line);
        std::free(line);
        if (buffer.empty() && (text == "\\q" || text == "quit" || text == "exit")) break;
        if (!buffer.empty()) buffer += '\n';
        buffer += text;
        if (!SqlStatementComplete(buffer)) continue;
        add_history(buffer.c_str());
        for (const std::string& s : SplitSqlStatements(buffer)) {
            RunOne(session, s, format, /*show_stats=*/true);
        }
        buffer.clear();
    }
    if (!history.empty()) write_history(history.c_str());
    return 0;
}

int Run(const SqlFlags& flags) {
    if (!flags.format.empty() && flags.format != "table" && flags.format != "csv" &&
        flags.format != "json") {
        std::fprintf(stderr, "tarn sql: --format must be table, csv or json\n");
        return 2;
    }
    auto session = flags.endpoint.empty() ? OpenEmbeddedSqlSession(flags.data_dir)
                                          : OpenRemoteSqlSession(flags.endpoint);
    if (!session.ok()) return Fail(session.status());
    const bool terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    const std::string format =
        !flags.format.empty() ? flags.format : (isatty(STDOUT_FILENO) ? "table" : "csv");
    if (!flags.command.empty()) return RunBatch(**session, flags.command, format);
    if (!flags.file.empty()) {
        std::ifstream in(flags.file);
        if (!in) {
            std::fprintf(stderr, "tarn sql: cannot read %s\n", flags.file.c_str());
            return 2;
        }
        std::stringstream text;
        text << in.rdbuf();
        return RunBatch(**session, text.str(), format);
    }
    if (terminal) return RunRepl(**session, format);
    std::stringstream text;
    text << std::cin.rdbuf();
    return RunBatch(**session, text.str(), format);
}

}  // namespace

void AddSqlCommand(CLI::App& app, int* exit_code) {
    auto flags = std::make_shared<SqlFlags>();
    CLI::App* sql = app.add_subcommand(
        "sql", "Query the lake with SQL: a REPL on a terminal, or -c/-f statements");
    sql->add_option("--data", flags->data_dir, "Data directory (embedded; default ./tarn-data)");
    sql->add_option("--endpoint", flags->endpoint,
                    "A running server's URL, e.g. http://127.0.0.1:4566 (instead of --data)");
    sql->add_option("-c,--command", flags->command, "Statements to run (';'-separated)");
    sql->add_option("-f,--file", flags->file, "File of statements to run");
    sql->add_option("--format", flags->format,
                    "table, csv or json (default: table on a terminal, csv otherwise)");
    sql->callback([flags, exit_code] { *exit_code = Run(*flags); });
}

}  // namespace tarn::cli
