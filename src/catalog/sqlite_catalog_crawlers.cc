// Crawler definitions and their runs.
#include "catalog/catalog_codec.h"
#include "catalog/sqlite_catalog.h"

namespace tarn::catalog {
namespace {

Status NoCrawler(std::string_view name) {
    return Status::NotFound("crawler " + std::string(name) + " not found");
}

constexpr const char* kCrawlerColumns =
    "SELECT name, body, version, created_ms, updated_ms FROM crawlers";

Result<Crawler> CrawlerFromRow(const SqliteStatement& st) {
    Crawler c;
    c.name = st.Text(0);
    TARN_RETURN_IF_ERROR(CrawlerBodyFromText(st.Text(1), &c));
    c.version = st.Int64(2);
    c.created_ms = st.Int64(3);
    c.updated_ms = st.Int64(4);
    return c;
}

// Crawler names keep their case (as Glue's do); only their shape is checked.
Status ValidateCrawlerName(std::string_view name) {
    return NormalizeName("crawler", name).status();
}

}  // namespace

Status SqliteCatalog::CreateCrawler(const Crawler& crawler) {
    TARN_RETURN_IF_ERROR(ValidateCrawlerName(crawler.name));
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        const int64_t now = NowMs();
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("INSERT OR IGNORE INTO crawlers VALUES (?, ?, 1, ?, ?)"));
        st.Bind(1, crawler.name);
        st.Bind(2, CrawlerBodyToText(crawler));
        st.Bind(3, now);
        st.Bind(4, now);
        TARN_RETURN_IF_ERROR(st.Run());
        if (db.Changes() == 0) {
            return Status::AlreadyExists("crawler " + crawler.name + " already exists");
        }
        return Status::Ok();
    });
}

Result<Crawler> SqliteCatalog::GetCrawler(std::string_view name) {
    Crawler out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare(std::string(kCrawlerColumns) + " WHERE name = ?"));
        st.Bind(1, name);
        TARN_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return NoCrawler(name);
        TARN_ASSIGN_OR_RETURN(out, CrawlerFromRow(st));
        return Status::Ok();
    }));
    return out;
}

Result<std::vector<Crawler>> SqliteCatalog::ListCrawlers() {
    std::vector<Crawler> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare(std::string(kCrawlerColumns) + " ORDER BY name"));
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            TARN_ASSIGN_OR_RETURN(Crawler c, CrawlerFromRow(st));
            out.push_back(std::move(c));
        }
    }));
    return out;
}

Status SqliteCatalog::UpdateCrawler(const Crawler& crawler) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("UPDATE crawlers SET body = ?, version = version + 1, "
                                         "updated_ms = ? WHERE name = ?"));
        st.Bind(1, CrawlerBodyToText(crawler));
        st.Bind(2, NowMs());
        st.Bind(3, crawler.name);
        TARN_RETURN_IF_ERROR(st.Run());
        return db.Changes() == 0 ? NoCrawler(crawler.name) : Status::Ok();
    });
}

Status SqliteCatalog::DeleteCrawler(std::string_view name) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("DELETE FROM crawlers WHERE name = ?"));
        st.Bind(1, name);
        TARN_RETURN_IF_ERROR(st.Run());  // its runs: ON DELETE CASCADE
        return db.Changes() == 0 ? NoCrawler(name) : Status::Ok();
    });
}

Result<int64_t> SqliteCatalog::StartCrawlRun(std::string_view crawler, int64_t started_ms) {
    int64_t id = 0;
    TARN_RETURN_IF_ERROR(writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        {
            TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT 1 FROM crawlers WHERE name = ?"));
            st.Bind(1, crawler);
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return NoCrawler(crawler);
        }
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("INSERT INTO crawl_runs (crawler, state, "
                                                  "started_ms, finished_ms, body) VALUES "
                                                  "(?, 'RUNNING', ?, 0, ?)"));
        st.Bind(1, crawler);
        st.Bind(2, started_ms);
        st.Bind(3, RunBodyToText(CrawlRun{}));
        TARN_RETURN_IF_ERROR(st.Run());
        id = db.LastInsertRowId();
        return Status::Ok();
    }));
    return id;
}

Status SqliteCatalog::FinishCrawlRun(const CrawlRun& run) {
    return writer_.Write([&](SqliteConnection& db, int64_t) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st,
                              db.Prepare("UPDATE crawl_runs SET state = ?, finished_ms = ?, "
                                         "body = ? WHERE id = ?"));
        st.Bind(1, run.state);
        st.Bind(2, run.finished_ms);
        st.Bind(3, RunBodyToText(run));
        st.Bind(4, run.id);
        TARN_RETURN_IF_ERROR(st.Run());
        if (db.Changes() == 0) {
            return Status::NotFound("crawl run " + std::to_string(run.id) + " not found");
        }
        return Status::Ok();
    });
}

Result<std::vector<CrawlRun>> SqliteCatalog::ListCrawlRuns(std::string_view crawler, size_t limit) {
    std::vector<CrawlRun> out;
    TARN_RETURN_IF_ERROR(readers_.Read([&](SqliteConnection& db) -> Status {
        TARN_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT id, crawler, state, started_ms, "
                                                  "finished_ms, body FROM crawl_runs WHERE "
                                                  "crawler = ? ORDER BY id DESC LIMIT ?"));
        st.Bind(1, crawler);
        st.Bind(2, static_cast<int64_t>(limit));
        for (;;) {
            TARN_ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row) return Status::Ok();
            CrawlRun r;
            r.id = st.Int64(0);
            r.crawler = st.Text(1);
            r.state = st.Text(2);
            r.started_ms = st.Int64(3);
            r.finished_ms = st.Int64(4);
            TARN_RETURN_IF_ERROR(RunBodyFromText(st.Text(5), &r));
            out.push_back(std::move(r));
        }
    }));
    return out;
}

}  // namespace tarn::catalog
