// One plain HTTP/1.1 request to a tarn server's REST API (`tarn delivery`, ...), on a short-lived
// connection, synchronously. For the AWS JSON APIs the producers use kinesis_http.h.
// Thread-safety: free function; each call has its own connection.
#pragma once

#include <string>
#include <string_view>

#include "cli/kinesis_producer.h"
#include "common/status.h"

namespace tarn::cli {

struct HttpReply {
    unsigned status = 0;
    std::string body;
};

// `method` is "GET" or "POST". Unavailable (naming the endpoint) when the server cannot be
// reached or the exchange fails; any HTTP answer is returned as it is.
Result<HttpReply> CallHttp(const KinesisEndpoint& endpoint, std::string_view method,
                           std::string_view target, std::string body = "");

}  // namespace tarn::cli
