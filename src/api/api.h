// Module api: tarn's network edge. The one place where requests arrive from clients and where
// Status codes become AWS error shapes, HTTP codes (and, later, SQLSTATEs).
//
//   Router router;                        // routes + per-route request metrics
//   AddBuiltinRoutes(router);             // /health, /metrics
//   AwsJsonDispatcher aws;                // X-Amz-Target dispatch; services add operations
//   AddKinesisApi(aws, stream_service);   // Kinesis Data Streams over stream::StreamService
//   aws.Mount(router);
//   EdgeServer server(options, router);   // HTTP/1.1 on Boost.Beast
//   TARN_RETURN_IF_ERROR(server.Start());
#pragma once

#include "api/aws_json.h"
#include "api/builtin_routes.h"
#include "api/delivery_routes.h"
#include "api/edge_server.h"
#include "api/firehose_api.h"
#include "api/glue_api.h"
#include "api/http.h"
#include "api/kinesis_api.h"
#include "api/query_routes.h"
#include "api/router.h"
