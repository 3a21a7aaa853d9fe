// The statement splitter behind `tarn sql -f` and the REPL's continuation lines.
#include "cli/sql_session.h"

#include <gtest/gtest.h>
#include <gmock/gmock.h>

namespace tarn::cli {
namespace {

using ::testing::ElementsAre;

TEST(SqlSessionTest, SplitsAtSemicolonsOutsideQuotesAndComments) {
    EXPECT_THAT(SplitSqlStatements("SELECT 1; SELECT ';' ; -- a; comment\nSELECT \"a;b\""),
                ElementsAre("SELECT 1", " SELECT ';' ", " -- a; comment\nSELECT \"a;b\""));
    EXPECT_THAT(SplitSqlStatements("SELECT 'it''s;' /* ; */;\n  ;\n-- only a comment\n"),
                ElementsAre("SELECT 'it''s;' /* ; */"));
    EXPECT_TRUE(SplitSqlStatements("  \n-- nothing\n").empty());
}

TEST(SqlSessionTest, CompleteOnlyAfterATerminatingSemicolon) {
    EXPECT_FALSE(SqlStatementComplete("SELECT 1"));
    EXPECT_FALSE(SqlStatementComplete("SELECT ';'"));
    EXPECT_FALSE(SqlStatementComplete("SELECT 1 -- ;"));
    EXPECT_TRUE(SqlStatementComplete("SELECT 1\n  FROM t;"));
}

}  // namespace
}  // namespace tarn::cli
