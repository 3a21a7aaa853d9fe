// The Hive DDL that registers a catalog table in another engine (`tarn catalog ddl`): Athena,
// Spark SQL and Hive itself accept it as it is; Trino's Hive connector reads the same table once
// a metastore holds it.
//
//   CREATE EXTERNAL TABLE `raw`.`events` (
//     `event_id` string COMMENT 'the producer\'s id',
//     `ts` bigint
//   )
//   COMMENT 'clickstream'
//   PARTITIONED BY (`year` string, `month` string)
//   ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
//   WITH SERDEPROPERTIES ('paths'='event_id,ts')
//   STORED AS INPUTFORMAT '...' OUTPUTFORMAT '...'
//   LOCATION 's3://bucket/lake/raw/events/'
//   TBLPROPERTIES ('classification'='json', 'compressionType'='gzip', ...);
//
// Identifiers are back-quoted (a back-quote inside is doubled); string literals are
// single-quoted with Hive's backslash escapes (\' \\ \n \r \t), the only quoting Hive and Spark
// both read. COMMENT lines appear only for non-empty comments, PARTITIONED BY only for a
// partitioned table, WITH SERDEPROPERTIES only when there are some. The descriptor and the
// properties come from table_storage.h (StorageDescriptorOf, TableParametersOf), in key order;
// LOCATION is the table's location as a URI of `lake`.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "catalog/catalog_types.h"
#include "catalog/table_storage.h"

namespace tarn::catalog {

std::string HiveDdl(const Table& table, const LakeLocation& lake);

// `name` back-quoted for Hive: `a``b`.
std::string HiveIdentifier(std::string_view name);
// `text` as a Hive string literal: 'it\'s'.
std::string HiveString(std::string_view text);

}  // namespace tarn::catalog
