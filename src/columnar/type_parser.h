// Parsing of type and schema text, in the two spellings tarn meets:
//
//   tarn's own (DataType/Field/Schema::ToString): BOOLEAN, INT8, INT16, INT32, INT64, FLOAT,
//   DOUBLE,
//     DECIMAL(p,s), VARCHAR, VARBINARY, DATE, TIMESTAMP, STRUCT<name: TYPE [NOT NULL], ...>,
//     LIST<TYPE [NOT NULL]>, MAP<KEY, VALUE [NOT NULL]>; names that are not plain identifiers are
//     double-quoted with "" for a quote; a schema is "name: TYPE [NOT NULL] [(id=N)], ...".
//   Hive's, as the Glue Data Catalog and Athena DDL write column types: boolean, tinyint,
//     smallint, int/integer, bigint, float/real, double, decimal(p,s) (decimal alone is
//     decimal(10,0)), string, varchar(n), char(n), binary, date, timestamp, array<T>,
//     struct<name:T,...>, map<K,V>; names may be `back-quoted`.
//
// Keywords are case-insensitive; whitespace is free between tokens. In a schema the colon after a
// field name may be left out ("a BIGINT, b STRING"). MAP keys are NOT NULL, everything else
// nullable unless NOT NULL is written. The parsed type is validated (DataType::Validate).
//
// Errors are InvalidArgument with one line naming the byte position (0-based) and what was
// expected there: "type 'STRUCT<a INT' at 12: expected ':' or a type".
//
// HiveTypeName writes a type in Hive's spelling, the one the catalog stores and Glue and Athena DDL
// use: lower case, no spaces; boolean, tinyint, smallint, int, bigint, float, double,
// decimal(p,s), string (VARCHAR), binary (VARBINARY), date, timestamp, array<T>,
// struct<name:T,...>, map<K,V>. Struct field names that are not plain identifiers
// ([A-Za-z_][A-Za-z0-9_]*) are `back-quoted` (a '`' inside doubled). Hive has no NOT NULL and no
// field ids, so those are dropped; otherwise ParseDataType(HiveTypeName(t)) equals t for a valid t
// whose nested fields are nullable (map keys aside) and named as ParseDataType names them.
#pragma once

#include <string>
#include <string_view>

#include "columnar/data_type.h"
#include "columnar/schema.h"
#include "common/status.h"

namespace tarn::columnar {

Result<DataType> ParseDataType(std::string_view text);
Result<Schema> ParseSchema(std::string_view text);

// The Hive spelling of `type` (see above): "bigint", "array<struct<a:string,`b c`:double>>".
std::string HiveTypeName(const DataType& type);

}  // namespace tarn::columnar
