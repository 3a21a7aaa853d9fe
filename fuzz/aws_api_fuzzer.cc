// Fuzz target: one AWS JSON API request (Kinesis, Firehose or Glue) dispatched as the edge server
// dispatches it, to the real services over a temporary data dir. An input is
// "<X-Amz-Target>\n<body>", e.g. "Kinesis_20131202.PutRecord\n{...}".
//
// Beyond not crashing, every answer must keep the AWS JSON protocol's promises:
//   - the request is answered, within 10 s (also when the answer comes from another thread);
//   - a success's body is JSON;
//   - an error's body is {"__type": T, "message": M} with the x-amzn-ErrorType header naming T;
//   - bad input is never a server error: HTTP 500 means the request reached code that did not
//     check it (a caught exception, a dropped answer, an unexpected Status).
//
// The services start with a stream "s" (2 shards, some records), a delivery stream "d", a Glue
// database "db" with a table "t" and a partition, and a crawler "c". After a request that may
// change them, what it created is deleted and what it deleted is made again, so state does not
// grow over a run and every input meets much the same services.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api/aws_json.h"
#include "api/firehose_api.h"
#include "api/glue_api.h"
#include "api/http_respond_state.h"
#include "api/kinesis_api.h"
#include "catalog/catalog.h"
#include "catalog/crawler_service.h"
#include "catalog/lake_commit.h"
#include "catalog/table_storage.h"
#include "common/logging.h"
#include "common/scheduler.h"
#include "delivery/delivery_service.h"
#include "storage/local_store.h"
#include "stream/stream_service.h"
#include "testing/temp_dir.h"

namespace {

using nlohmann::json;
using tarn::api::HttpRequest;
using tarn::api::HttpResponse;

[[noreturn]] void Fail(const std::string& what, std::string_view target, std::string_view body,
                       const HttpResponse* answer) {
    std::fprintf(stderr, "aws_api_fuzzer: %s\n  request: %.*s\n  body: %.*s\n", what.c_str(),
                 static_cast<int>(target.size()), target.data(),
                 static_cast<int>(std::min<size_t>(body.size(), 2000)), body.data());
    if (answer != nullptr) {
        std::fprintf(stderr, "  answer: %d %s\n", answer->status, answer->body.c_str());
    }
    std::abort();
}

// What the base state is made of: requests that must succeed, per service.
struct BaseCall {
    const char* target;
    const char* body;
};
const std::vector<BaseCall> kBaseStream = {
    {"Kinesis_20131202.CreateStream", R"({"StreamName":"s","ShardCount":2})"},
    {"Kinesis_20131202.PutRecords",
     R"({"StreamName":"s","Records":[{"Data":"eyJhIjoxfQ==","PartitionKey":"a"},)"
     R"({"Data":"eyJhIjoyfQ==","PartitionKey":"b"},{"Data":"","PartitionKey":"c"}]})"},
};
const std::vector<BaseCall> kBaseDelivery = {
    {"Firehose_20150804.CreateDeliveryStream",
     R"({"DeliveryStreamName":"d","DeliveryStreamType":"DirectPut",)"
     R"("ExtendedS3DestinationConfiguration":{"BucketARN":"arn:aws:s3:::lake",)"
     R"("RoleARN":"arn:aws:iam::000000000000:role/x","Prefix":"raw/d/",)"
     R"("BufferingHints":{"IntervalInSeconds":60,"SizeInMBs":1}}})"},
};
const std::vector<BaseCall> kBaseDatabase = {
    {"AWSGlue.CreateDatabase", R"({"DatabaseInput":{"Name":"db"}})"},
    {"AWSGlue.CreateTable",
     R"({"DatabaseName":"db","TableInput":{"Name":"t","StorageDescriptor":{"Columns":[)"
     R"({"Name":"id","Type":"bigint"},{"Name":"s","Type":"string"},)"
     R"({"Name":"st","Type":"struct<a:int,b:array<string>>"}],)"
     R"("Location":"s3://lake/raw/t/","SerdeInfo":{"SerializationLibrary":)"
     R"("org.openx.data.jsonserde.JsonSerDe"}},"PartitionKeys":[{"Name":"dt","Type":"string"}]}})"},
    {"AWSGlue.CreatePartition",
     R"({"DatabaseName":"db","TableName":"t","PartitionInput":{"Values":["2024-01-01"],)"
     R"("StorageDescriptor":{"Location":"s3://lake/raw/t/dt=2024-01-01/"}}})"},
};
const std::vector<BaseCall> kBaseCrawler = {
    {"AWSGlue.CreateCrawler", R"({"Name":"c","Role":"r","DatabaseName":"db",)"
                              R"("Targets":{"S3Targets":[{"Path":"s3://lake/raw/"}]}})"},
};

struct Services {
    tarn::testing::TempDir dir{"tarn-api-fuzz-"};
    std::unique_ptr<tarn::storage::LocalStore> store;
    std::unique_ptr<tarn::catalog::Catalog> catalog;
    std::unique_ptr<tarn::catalog::LakeCommitter> commit;
    std::unique_ptr<tarn::Scheduler> scheduler;
    std::unique_ptr<tarn::catalog::CrawlerService> crawlers;
    std::unique_ptr<tarn::stream::StreamService> streams;
    std::unique_ptr<tarn::delivery::DeliveryService> deliveries;
    std::optional<tarn::catalog::LakeLocation> location;
    tarn::api::AwsJsonDispatcher aws;
    std::set<std::string> base_databases;  // "db" and those the delivery stream made
};

template <typename T>
T Must(tarn::Result<T> r, const char* what) {
    if (!r.ok())
        Fail(std::string("setup: ") + what + ": " + r.status().ToString(), "", "", nullptr);
    return *std::move(r);
}

// Dispatches one request and waits for its answer (which may come from another thread).
HttpResponse Call(Services& s, std::string_view target, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.target = request.path = "/";
    request.headers = {{"x-amz-target", std::string(target)},
                       {"content-type", "application/x-amz-json-1.1"}};
    request.body = std::move(body);
    struct Waiter {
        std::mutex mu;
        std::condition_variable cv;
        std::optional<HttpResponse> answer;
    };
    auto waiter = std::make_shared<Waiter>();
    s.aws.Dispatch(std::move(request),
                   tarn::api::HttpRespond(
                       std::make_shared<tarn::api::HttpRespond::State>([waiter](HttpResponse r) {
                           std::lock_guard lock(waiter->mu);
                           waiter->answer = std::move(r);
                           waiter->cv.notify_all();
                       })));
    std::unique_lock lock(waiter->mu);
    if (!waiter->cv.wait_for(lock, std::chrono::seconds(10),
                             [&] { return waiter->answer.has_value(); })) {
        Fail("no answer within 10 s", target, "", nullptr);
    }
    return *std::move(waiter->answer);
}

void MakeBase(Services& s, const std::vector<BaseCall>& calls) {
    for (const BaseCall& call : calls) {
        HttpResponse r = Call(s, call.target, call.body);
        if (r.status != 200) Fail("setup call failed", call.target, call.body, &r);
        s.streams->WaitForTransitions();  // a new stream takes records once ACTIVE
    }
}

Services& TheServices() {
    static Services* services = [] {
        tarn::SetLogLevel(tarn::LogLevel::kOff);
        auto* s = new Services;
        const std::string root = s->dir.path();
        s->store = Must(tarn::storage::LocalStore::Open(root + "/lake"), "store");
        s->catalog = Must(tarn::catalog::Catalog::Open(root + "/catalog.db"), "catalog");
        s->commit =
            std::make_unique<tarn::catalog::LakeCommitter>(s->catalog.get(), s->store.get());
        s->scheduler = std::make_unique<tarn::Scheduler>(
            tarn::Scheduler::Options{.num_workers = 1, .name = "fuzz-bg"});
        s->crawlers = std::make_unique<tarn::catalog::CrawlerService>(
            s->catalog.get(), s->store.get(), s->scheduler.get());
        if (tarn::Status st = s->crawlers->Start(); !st.ok()) {
            Fail("setup: crawlers: " + st.ToString(), "", "", nullptr);
        }
        tarn::stream::StreamServiceOptions stream_options;
        stream_options.dir = root + "/streams";
        stream_options.metadata.max_shards_per_stream = 4;  // bounds what a request can create
        stream_options.commit_max_wait = std::chrono::microseconds(0);
        stream_options.retention_interval = std::chrono::milliseconds(0);
        s->streams = Must(tarn::stream::StreamService::Open(stream_options), "streams");
        s->deliveries = Must(tarn::delivery::DeliveryService::Open({.streams = s->streams.get(),
                                                                    .catalog = s->catalog.get(),
                                                                    .lake = s->commit.get(),
                                                                    .store = s->store.get()}),
                             "deliveries");
        // Glue clients see lake locations as URIs under this root (the store is local anyway).
        s->location.emplace("s3://lake/");
        tarn::api::AddKinesisApi(s->aws, *s->streams, {});
        tarn::api::AddGlueApi(s->aws, *s->catalog, *s->crawlers, *s->location);
        tarn::api::AddFirehoseApi(s->aws, *s->deliveries);
        MakeBase(*s, kBaseStream);
        MakeBase(*s, kBaseDelivery);
        MakeBase(*s, kBaseDatabase);
        MakeBase(*s, kBaseCrawler);
        for (const auto& db : Must(s->catalog->ListDatabases(), "databases")) {
            s->base_databases.insert(db.name);
        }
        return s;
    }();
    return *services;
}

void WaitUntilStopped(Services& s, const std::string& crawler) {
    for (int i = 0; i < 1000; ++i) {
        (void)s.crawlers->StopCrawl(crawler);
        if (s.crawlers->Delete(crawler).code() != tarn::StatusCode::kFailedPrecondition) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Fail("setup: crawler " + crawler + " did not stop within 10 s", "", "", nullptr);
}

// Puts the service a request went to back to its base state: what the request may have created
// is deleted, and the base objects are made again (a request may have changed them).
void Restore(Services& s, std::string_view target) {
    if (target.starts_with("Kinesis_20131202.")) {
        s.streams->WaitForTransitions();
        for (const auto& name : Must(s.streams->ListStreams("", 10000), "list").names) {
            // Delivery streams' internal streams belong to the Firehose side.
            if (!name.starts_with(tarn::delivery::kInternalStreamPrefix)) {
                (void)s.streams->DeleteStream(name);
            }
        }
        s.streams->WaitForTransitions();
        MakeBase(s, kBaseStream);
    } else if (target.starts_with("Firehose_20150804.")) {
        for (const auto& name : s.deliveries->List(std::nullopt, "", 10000)) {
            (void)s.deliveries->Delete(name);
        }
        s.streams->WaitForTransitions();
        MakeBase(s, kBaseDelivery);
    } else if (target.starts_with("AWSGlue.")) {
        for (const auto& crawler : Must(s.catalog->ListCrawlers(), "crawlers")) {
            WaitUntilStopped(s, crawler.name);
        }
        for (const auto& db : Must(s.catalog->ListDatabases(), "databases")) {
            if (!s.base_databases.contains(db.name)) (void)s.catalog->DeleteDatabase(db.name);
        }
        (void)s.catalog->DeleteDatabase("db");
        MakeBase(s, kBaseDatabase);
        MakeBase(s, kBaseCrawler);
    }
}

bool ReadsOnly(std::string_view target) {
    const std::string_view operation = target.substr(target.find('.') + 1);
    for (std::string_view prefix : {"Get", "List", "Describe", "BatchGet", "PutRecord"}) {
        if (operation.starts_with(prefix)) return true;
    }
    return false;
}

void CheckAnswer(std::string_view target, std::string_view body, const HttpResponse& r) {
    if (r.status >= 500 && r.status != 503) Fail("server error on a request", target, body, &r);
    if (r.status == 200) {
        if (!r.body.empty() && !json::accept(r.body)) Fail("answer is not JSON", target, body, &r);
        return;
    }
    const json error = json::parse(r.body, nullptr, false);
    if (!error.is_object() || !error.contains("__type") || !error["__type"].is_string() ||
        !error.contains("message") || !error["message"].is_string()) {
        Fail("error answer lacks __type and message", target, body, &r);
    }
    if (r.Header("x-amzn-ErrorType") != error["__type"].get<std::string>()) {
        Fail("x-amzn-ErrorType differs from __type", target, body, &r);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 8192) return 0;  // one request; the services' size limits have their own tests
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t newline = input.find('\n');
    if (newline == std::string_view::npos) return 0;
    const std::string_view target = input.substr(0, newline);
    const std::string_view body = input.substr(newline + 1);
    Services& s = TheServices();
    const HttpResponse answer = Call(s, target, std::string(body));
    // AWS_API_FUZZER_TRACE=1: each answer on stderr (to see which seeds get past validation).
    static const bool trace = std::getenv("AWS_API_FUZZER_TRACE") != nullptr;
    if (trace) {
        std::fprintf(stderr, "%.*s -> %d %.200s\n", static_cast<int>(target.size()), target.data(),
                     answer.status, answer.body.c_str());
    }
    CheckAnswer(target, body, answer);
    if (!ReadsOnly(target)) Restore(s, target);
    return 0;
}
