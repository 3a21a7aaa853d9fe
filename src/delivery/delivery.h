// Module delivery: Firehose-style delivery streams from a tarn stream (or direct puts) into the
// lake -- buffering, Firehose's prefix templates, KPL de-aggregation, NDJSON(.gz) or Parquet
// objects with deterministic names, error output, and exactly-once commits through the lake
// commit (catalog/lake_commit.h). Built in pieces; this header gathers their public headers.
#pragma once

#include "delivery/delivery_config.h"
#include "delivery/kpl_aggregation.h"
#include "delivery/metadata_query.h"
#include "delivery/prefix_template.h"
#include "delivery/delivery_service.h"
