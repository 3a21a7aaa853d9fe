// The AWS Glue Data Catalog API (AWS JSON 1.1, `X-Amz-Target: AWSGlue.<Operation>`) over the
// catalog and its crawlers, so that boto3's glue client, `aws glue ...` and engines reading Glue
// (Athena-style clients, Spark, Trino) work unchanged against tarn:
//
//   databases   CreateDatabase GetDatabase GetDatabases UpdateDatabase DeleteDatabase
//   tables      CreateTable GetTable GetTables UpdateTable DeleteTable BatchDeleteTable
//               GetTableVersions GetTableVersion
//   partitions  CreatePartition BatchCreatePartition GetPartition GetPartitions BatchGetPartition
//               UpdatePartition DeletePartition BatchDeletePartition
//   crawlers    CreateCrawler GetCrawler GetCrawlers ListCrawlers UpdateCrawler DeleteCrawler
//               StartCrawler StopCrawler GetCrawlerMetrics
//
// Request and response members are botocore's Glue 2017-03-31 model's; JSON shapes come from
// api/glue_json.h. `CatalogId` is accepted and ignored (there is one catalog). Lists page with
// an opaque NextToken (the base64 of the last item's key), so a token stays valid while items
// are added or removed. Errors are Glue's: EntityNotFoundException, AlreadyExistsException,
// InvalidInputException, ConcurrentModificationException, CrawlerRunningException,
// CrawlerNotRunningException, CrawlerStoppingException (HTTP 400), InternalServiceException (500),
// and SerializationException for a body that is not a JSON object.
//
// Thread-safety: call AddGlueApi before the server starts. Handlers run on the given pool's
// threads (or, without one, on any I/O thread) and answer synchronously.
#pragma once

#include "api/aws_json.h"
#include "common/thread_pool.h"

namespace tarn::catalog {
class Catalog;
class CrawlerService;
class LakeLocation;
}  // namespace tarn::catalog

namespace tarn::api {

// Registers every Glue operation above on `dispatcher`. Does not take ownership: `catalog` and
// `crawlers` must outlive the server; `lake` (where locations are relative to) is copied.
// With `pool` (not owned; it must outlive the server), requests are served on its threads, so a
// catalog write waiting for its fsync never holds an I/O thread; without it, on the I/O thread.
void AddGlueApi(AwsJsonDispatcher& dispatcher, catalog::Catalog& catalog,
                catalog::CrawlerService& crawlers, const catalog::LakeLocation& lake,
                ThreadPool* pool = nullptr);

}  // namespace tarn::api
