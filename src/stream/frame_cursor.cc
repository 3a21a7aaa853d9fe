#include "stream/frame_cursor.h"

#include <algorithm>
#include <cstring>

namespace tarn::stream {

namespace lf = log_format;

FrameCursor::FrameCursor(const File* file, uint64_t pos, uint64_t end, size_t chunk)
    : file_(file), pos_(pos), end_(end), chunk_(std::max<size_t>(chunk, lf::kFrameHeaderSize)) {}

Status FrameCursor::Next(Step* step) {
    step->frame_pos = pos_;
    if (pos_ >= end_) {
        step->kind = Step::kEnd;
        return Status::Ok();
    }
    for (;;) {
        const size_t avail = filled_ - begin_;
        size_t frame_size = 0;
        const FrameError e =
            DecodeRecordFrame(buf_.data() + begin_, avail, true, &step->record, &frame_size);
        if (e == FrameError::kNone) {
            step->kind = Step::kFrame;
            step->frame = buf_.data() + begin_;
            step->frame_size = frame_size;
            begin_ += frame_size;
            pos_ += frame_size;
            return Status::Ok();
        }
        const uint64_t file_next = pos_ + avail;
        if (e != FrameError::kIncomplete || file_next >= end_) {
            step->kind = Step::kBad;
            step->error = e;
            return Status::Ok();
        }
        // Move the partial frame to the front and read more behind it.
        if (begin_ > 0 && avail > 0) std::memmove(buf_.data(), buf_.data() + begin_, avail);
        begin_ = 0;
        filled_ = avail;
        size_t want = chunk_;
        if (avail >= lf::kFrameHeaderSize) {
            uint32_t length;
            std::memcpy(&length, buf_.data() + lf::kFrameLengthPos, sizeof(length));
            want = std::max(want, lf::kFrameHeaderSize + size_t{length});
        }
        // Never more than the range holds from this frame on: a read near a segment's end (a
        // consumer at the tail, the usual case) gets a buffer of those bytes, not a whole chunk
        // zero-filled per cursor. It is more than `avail`, since file_next < end_ here.
        want = static_cast<size_t>(std::min<uint64_t>(want, end_ - pos_));
        if (buf_.size() < want) buf_.resize(want);
        const size_t to_read =
            static_cast<size_t>(std::min<uint64_t>(buf_.size() - filled_, end_ - file_next));
        size_t got = 0;
        TARN_RETURN_IF_ERROR(file_->ReadAt(file_next, buf_.data() + filled_, to_read, &got));
        filled_ += got;
        if (got < to_read) end_ = file_next + got;  // the file is shorter than expected
        if (got == 0) {
            step->kind = Step::kBad;
            step->error = FrameError::kIncomplete;
            return Status::Ok();
        }
    }
}

}  // namespace tarn::stream
