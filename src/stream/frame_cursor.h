// FrameCursor: reads the record frames of a byte range of a segment file in large chunks, for
// recovery scans, reads and timestamp searches. Frames are checked (CRC, lengths) as they go.
// Thread-safety: one cursor per thread; several cursors may read one File at once.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "stream/file_io.h"
#include "stream/record_codec.h"

namespace tarn::stream {

class FrameCursor {
public:
    struct Step {
        enum Kind : uint8_t { kFrame, kEnd, kBad } kind = kEnd;
        FrameError error = FrameError::kNone;  // for kBad
        uint64_t frame_pos = 0;                // file position of this frame (or of the bad bytes)
        RecordView record;                     // for kFrame; views valid until the next Next()
        const char* frame = nullptr;           // the frame's bytes, for kFrame
        size_t frame_size = 0;
    };

    // Frames in [pos, end) of `file` (not owned), read `chunk` bytes at a time.
    FrameCursor(const File* file, uint64_t pos, uint64_t end, size_t chunk);

    // The next frame, kEnd exactly at `end`, or kBad (a frame cut by `end`/EOF is kIncomplete).
    // A non-OK Status only for an I/O error.
    Status Next(Step* step);

private:
    const File* file_;
    uint64_t pos_;  // file position of buf_[begin_]
    uint64_t end_;
    size_t chunk_;
    std::vector<char> buf_;
    size_t begin_ = 0, filled_ = 0;  // buf_[begin_, filled_) holds file bytes from pos_
};

}  // namespace tarn::stream
