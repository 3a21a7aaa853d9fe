// Placeholder until the subcommands land (being written now).
namespace tarn::cli {}
