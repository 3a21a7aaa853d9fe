// The Amazon Data Firehose API (AWS JSON 1.1, `X-Amz-Target: Firehose_20150804.<Operation>`) over
// a delivery::DeliveryService, so that boto3's firehose client and `aws firehose ...` work
// unchanged against tarn:
//
//   CreateDeliveryStream DeleteDeliveryStream DescribeDeliveryStream ListDeliveryStreams
//   UpdateDestination PutRecord PutRecordBatch
//
// Request and response shapes are botocore's Firehose 2015-08-04 model's (configurations via
// api/firehose_json.h). PutRecord(Batch) decode each record's base64 Data, check Firehose's
// limits (at most kMaxPutBatchRecords records, each at most kMaxPutRecordBytes decoded, at most
// kMaxPutBatchBytes in all) and answer from the service's callback once the records are durable;
// PutRecordBatch answers per-record outcomes (RecordId, or ErrorCode/ErrorMessage) with
// FailedPutCount.
//
// Errors are Firehose's: ResourceNotFoundException ("Firehose NAME under account 000000000000 not
// found."), ResourceInUseException (a name taken; a delivery stream not ACTIVE),
// InvalidArgumentException (validation messages naming the member, e.g. "1 validation error
// detected: Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be
// null"), ConcurrentModificationException (UpdateDestination with a stale
// CurrentDeliveryStreamVersionId), SerializationException (a body that is not a JSON object,
// Data that is not base64), HTTP 400; ServiceUnavailableException (HTTP 503, retryable);
// InternalFailure (500).
//
// Thread-safety: call AddFirehoseApi before the server starts. PutRecord(Batch) run on the I/O
// thread and answer from the service's writer thread; the other operations (catalog writes that
// wait for an fsync) run on `pool` when given, else on the I/O thread.
#pragma once

#include "api/aws_json.h"
#include "common/thread_pool.h"

namespace tarn::delivery {
class DeliveryService;
}

namespace tarn::api {

// Registers every Firehose operation above on `dispatcher`. Does not take ownership: `service`
// and `pool` (may be null) must outlive the server (stop the server first, then close them).
void AddFirehoseApi(AwsJsonDispatcher& dispatcher, delivery::DeliveryService& service,
                    ThreadPool* pool = nullptr);

}  // namespace tarn::api
