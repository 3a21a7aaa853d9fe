// Placeholder until ObjectStore lands (being written now).
namespace tarn::storage {}
