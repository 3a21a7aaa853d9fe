// PutRecords and PutRecord: parse (kinesis_put_batch.h), hand the batch to the stream service and
// answer from its callback (on the stream's writer thread) once the records are durable.
#include <memory>

#include "api/aws_json.h"
#include "api/kinesis_handlers.h"
#include "api/kinesis_json.h"
#include "api/kinesis_put_batch.h"
#include "stream/stream_log.h"
#include "stream/stream_service.h"

namespace tarn::api::kinesis {

TARN_KINESIS_HANDLER(PutRecords) {
    // Parsed in place: the records view into the batch's buffers, which must not move.
    auto batch = std::make_shared<PutBatch>();
    if (auto error = ParsePutRecords(std::move(request.body), *batch)) return respond(*error);
    const std::string& stream = batch->stream;
    ctx.service.PutRecords(stream, batch->records,
                           [batch, respond](Result<stream::PutRecordsResult> result) {
                               if (!result.ok()) return respond(ErrorFromStatus(result.status()));
                               respond(JsonOk(PutRecordsResponseBody(*result)));
                           });
}

TARN_KINESIS_HANDLER(PutRecord) {
    auto batch = std::make_shared<PutBatch>();
    if (auto error = ParsePutRecord(std::move(request.body), *batch)) return respond(*error);
    const std::string& stream = batch->stream;
    ctx.service.PutRecords(
        stream, batch->records, [batch, respond](Result<stream::PutRecordsResult> result) {
            if (!result.ok()) return respond(ErrorFromStatus(result.status()));
            if (result->records.size() != 1) {
                return respond(AwsErrorResponse(500, "InternalFailure", "no outcome for record"));
            }
            const stream::PutRecordOutcome& outcome = result->records.front();
            if (outcome.error != stream::PutRecordError::kNone) {
                const int status =
                    outcome.error == stream::PutRecordError::kThroughputExceeded ? 400 : 500;
                return respond(AwsErrorResponse(status, PutRecordErrorCode(outcome.error),
                                                outcome.error_message));
            }
            std::string body = "{\"ShardId\":\"";
            stream::AppendShardId(body, outcome.shard);
            body += "\",\"SequenceNumber\":\"";
            body += stream::FormatSequenceNumber(result->sequence(0));
            body += "\"}";
            respond(JsonOk(std::move(body)));
        });
}

}  // namespace tarn::api::kinesis
