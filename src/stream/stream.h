// stream: tarn's durable sharded log (DESIGN.md, "stream/").
//
// A stream is a set of shards; a shard is an append-only, CRC-framed log of records in segment
// files (format: log_format.md, constants: log_format.h), with dense offsets, arrival times and a
// durable watermark that readers never pass. StreamLog owns a stream's shards and group-commits
// appends (acknowledged means fsynced); ShardLog is one shard (append, sync, read, timestamp
// search, retention, crash recovery); FileIo is the file-system seam that tests fail on purpose
// (FaultFileIo).
//
// Hash-key routing (hash_key.h), sequence-number strings (sequence_number.h), stream and shard
// metadata with the resharding rules (stream_metadata.h) and the registry of a server's streams
// (stream_registry.h) describe streams. StreamService (stream_service.h) joins the registry to the
// shard logs: puts, Kinesis shard iterators (shard_iterator.h) and reads, resharding with sealed
// parents, in-process consumers' checkpoints (consumer_checkpoints.h), retention with a disk
// budget, and per-shard rate limits (shard_rate_limiter.h).
//
// Not here: the Kinesis HTTP API (api/), which builds on StreamService.
//
// Thread-safety: see each class.
#pragma once

#include "stream/atomic_file.h"
#include "stream/consumer_checkpoints.h"
#include "stream/fault_file_io.h"
#include "stream/file_io.h"
#include "stream/hash_key.h"
#include "stream/log_format.h"
#include "stream/record.h"
#include "stream/record_codec.h"
#include "stream/sequence_number.h"
#include "stream/shard_iterator.h"
#include "stream/shard_log.h"
#include "stream/shard_rate_limiter.h"
#include "stream/stream_log.h"
#include "stream/stream_metadata.h"
#include "stream/stream_metrics.h"
#include "stream/stream_registry.h"
#include "stream/stream_service.h"
