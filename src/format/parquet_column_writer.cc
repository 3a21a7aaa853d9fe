// ColumnChunkWriter's type-independent part: levels, page assembly (v1 and v2), compression,
// chunk buffering and the column chunk metadata. The typed value encoders are in
// parquet_typed_writers.cc.
#include "format/parquet_column_writer.h"

#include <sys/mman.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace tarn::format {
namespace {

void PutLength32(std::string* buf, size_t at, size_t len) {
    const auto v = static_cast<uint32_t>(len);
    std::memcpy(buf->data() + at, &v, 4);
}

Status PageTooLarge(const ParquetColumn& column, size_t bytes) {
    return Status::InvalidArgument("Parquet column '" + column.PathString() + "': a page of " +
                                   std::to_string(bytes) +
                                   " bytes exceeds the format's 2 GiB limit; write smaller "
                                   "values or lower data_page_bytes");
}

// A column's first block is small (a file of a few rows stays small); later ones grow.
constexpr size_t kFirstBlockBytes = size_t{64} << 10;
constexpr size_t kMaxBlockBytes = size_t{8} << 20;
constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

void BlockPool::Free::operator()(char* p) const { std::free(p); }

BlockPool::Block BlockPool::Take(size_t min_capacity) {
    for (size_t i = free_.size(); i-- > 0;) {
        if (free_[i].capacity >= min_capacity) {
            Block b = std::move(free_[i]);
            free_.erase(free_.begin() + static_cast<ptrdiff_t>(i));
            free_bytes_ -= b.capacity;
            return b;
        }
    }
    // Not zeroed: every byte is written before use. Large blocks are 2 MiB-aligned multiples of
    // 2 MiB and asked to be transparent huge pages: a row group's first pass through fresh
    // memory then takes 512 times fewer page faults.
    Block b;
    size_t cap = min_capacity;
    void* p = nullptr;
    if (cap >= kHugePage) {
        cap = (cap + kHugePage - 1) / kHugePage * kHugePage;
        p = std::aligned_alloc(kHugePage, cap);
#ifdef MADV_HUGEPAGE
        if (p != nullptr) madvise(p, cap, MADV_HUGEPAGE);
#endif
    } else {
        p = std::malloc(cap);
    }
    if (p == nullptr) throw std::bad_alloc();
    b.data.reset(static_cast<char*>(p));
    b.capacity = cap;
    return b;
}

void BlockPool::Give(Block block) {
    block.used = 0;
    free_bytes_ += block.capacity;
    free_.push_back(std::move(block));
}

ColumnChunkWriter::ColumnChunkWriter(const ParquetColumn& column,
                                     const ColumnWriterOptions& options, BlockPool* pool,
                                     PageScratch* scratch)
    : column_(column),
      options_(options),
      def_width_(RleBitWidth(static_cast<uint32_t>(column.max_def_level))),
      rep_width_(RleBitWidth(static_cast<uint32_t>(column.max_rep_level))),
      def_enc_(def_width_, &def_buf_),
      rep_enc_(rep_width_, &rep_buf_),
      pool_(pool),
      scratch_(scratch) {
    StartPage();
}

char* ColumnChunkWriter::Reserve(size_t n) {
    if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < n) {
        const size_t grow = blocks_.empty() ? kFirstBlockBytes
                                            : std::min(kMaxBlockBytes, 2 * blocks_.back().capacity);
        blocks_.push_back(pool_->Take(std::max(n, grow)));
    }
    BlockPool::Block& b = blocks_.back();
    char* p = b.data.get() + b.used;
    b.used += n;
    chunk_bytes_ += n;
    return p;
}

void ColumnChunkWriter::StartPage() {
    def_buf_.clear();
    rep_buf_.clear();
    if (options_.data_page_version == 1) {  // room for the 4-byte length prefix
        if (column_.max_def_level > 0) def_buf_.append(4, '\0');
        if (column_.max_rep_level > 0) rep_buf_.append(4, '\0');
    }
    page_levels_ = page_values_ = page_rows_ = 0;
}

Status ColumnChunkWriter::Write(const LeafLevels& lv) {
    const size_t n = lv.num_levels;
    const auto max_def = static_cast<uint16_t>(column_.max_def_level);
    const bool has_def = column_.max_def_level > 0;
    const bool has_rep = !lv.rep.empty();
    const uint16_t* def = lv.def.empty() ? nullptr : lv.def.data();
    const uint16_t* rep = has_rep ? lv.rep.data() : nullptr;
    size_t a = 0;
    size_t va = 0;
    while (a < n) {
        // Up to the page's row limit (for nested columns, rows <= levels: close enough).
        const size_t room =
            options_.data_page_max_rows > page_rows_ ? options_.data_page_max_rows - page_rows_ : 1;
        size_t b = std::min(n, a + std::min(MiniBatchLevels(), room));
        size_t rows = b - a;
        if (has_rep) {
            while (b < n && rep[b] != 0) ++b;
            rows = 0;
            for (size_t i = a; i < b; ++i) {
                rows += rep[i] == 0;
                rep_enc_.Put(rep[i]);
            }
        }
        size_t vb = va + (b - a);
        if (def == nullptr) {
            if (has_def) def_enc_.PutRepeated(max_def, b - a);
        } else {
            size_t values = 0;
            size_t i = a;
            while (i < b) {  // runs of equal levels go in one call
                const uint16_t d = def[i];
                size_t j = i + 1;
                while (j < b && def[j] == d) ++j;
                def_enc_.PutRepeated(d, j - i);
                if (d == max_def) values += j - i;
                i = j;
            }
            vb = va + values;
        }
        AppendValues(lv, va, vb);
        page_levels_ += b - a;
        page_values_ += vb - va;
        page_rows_ += rows;
        if (def_buf_.size() + rep_buf_.size() + PageValuesEstimate() >= options_.data_page_bytes ||
            page_rows_ >= options_.data_page_max_rows || DictionaryFull()) {
            TARN_RETURN_IF_ERROR(FlushPage());
        }
        a = b;
        va = vb;
    }
    return Status::Ok();
}

size_t ColumnChunkWriter::MiniBatchLevels() const {
    const size_t bytes = def_buf_.size() + rep_buf_.size() + PageValuesEstimate();
    // A page starts with a small mini-batch (the last page's size per level may not hold for
    // this one, e.g. after a short last page of a chunk), then sizes by what it has seen.
    size_t cap = kMiniBatchLevels;
    double per_level = last_bytes_per_level_;
    if (page_levels_ > 0) {
        per_level = static_cast<double>(bytes) / static_cast<double>(page_levels_);
    } else {
        cap = kFirstMiniBatchLevels;
    }
    if (per_level <= 0) return kFirstMiniBatchLevels;
    const double left = bytes < options_.data_page_bytes
                            ? static_cast<double>(options_.data_page_bytes - bytes)
                            : 0;
    const double levels = left / per_level + 1;
    return levels >= static_cast<double>(cap) ? cap : static_cast<size_t>(levels);
}

size_t ColumnChunkWriter::EstimatedSize() const {
    return chunk_bytes_ + def_buf_.size() + rep_buf_.size() + PageValuesEstimate() +
           DictionaryBytes();
}

void ColumnChunkWriter::CountPage(PageType type, Encoding encoding) {
    (void)type;
    const auto e = static_cast<size_t>(encoding);
    if (e < std::size(page_counts_)) ++page_counts_[e];
}

Status ColumnChunkWriter::FlushPage() {
    if (page_levels_ == 0) return Status::Ok();
    if (page_levels_ > INT32_MAX) return PageTooLarge(column_, page_levels_);
    const bool has_def = column_.max_def_level > 0;
    const bool has_rep = column_.max_rep_level > 0;
    last_bytes_per_level_ =
        static_cast<double>(def_buf_.size() + rep_buf_.size() + PageValuesEstimate()) /
        static_cast<double>(page_levels_);
    if (has_def) def_enc_.Flush();
    if (has_rep) rep_enc_.Flush();
    Statistics stats;
    stats.null_count = static_cast<int64_t>(page_levels_ - page_values_);
    Encoding encoding = Encoding::kPlain;
    PageHeader header;
    if (options_.data_page_version == 1) {
        scratch_->page.clear();
        if (has_rep) {
            PutLength32(&rep_buf_, 0, rep_buf_.size() - 4);
            scratch_->page += rep_buf_;
        }
        if (has_def) {
            PutLength32(&def_buf_, 0, def_buf_.size() - 4);
            scratch_->page += def_buf_;
        }
        EncodePageValues(&scratch_->page, &encoding, &stats);
        header.type = PageType::kDataPage;
        header.data_page_header = DataPageHeader{
            .num_values = static_cast<int32_t>(page_levels_),
            .encoding = encoding,
            .definition_level_encoding = Encoding::kRle,
            .repetition_level_encoding = Encoding::kRle,
            .statistics = std::move(stats),
        };
        TARN_RETURN_IF_ERROR(AppendPage(&header, {}, scratch_->page));
    } else {
        scratch_->values.clear();
        EncodePageValues(&scratch_->values, &encoding, &stats);
        // v2 levels are not compressed and come first: rep, then def.
        scratch_->page.clear();
        scratch_->page += rep_buf_;
        scratch_->page += def_buf_;
        header.type = PageType::kDataPageV2;
        header.data_page_header_v2 = DataPageHeaderV2{
            .num_values = static_cast<int32_t>(page_levels_),
            .num_nulls = static_cast<int32_t>(page_levels_ - page_values_),
            .num_rows = static_cast<int32_t>(page_rows_),
            .encoding = encoding,
            .definition_levels_byte_length = static_cast<int32_t>(def_buf_.size()),
            .repetition_levels_byte_length = static_cast<int32_t>(rep_buf_.size()),
            .is_compressed = options_.codec != CompressionCodec::kUncompressed,
            .statistics = std::move(stats),
        };
        TARN_RETURN_IF_ERROR(AppendPage(&header, scratch_->page, scratch_->values));
    }
    CountPage(header.type, encoding);
    chunk_levels_ += static_cast<int64_t>(page_levels_);
    chunk_values_ += static_cast<int64_t>(page_values_);
    StartPage();
    return Status::Ok();
}

Status ColumnChunkWriter::AppendPage(PageHeader* header, std::string_view levels,
                                     std::string_view body) {
    std::string_view payload = body;
    if (options_.codec != CompressionCodec::kUncompressed) {
        scratch_->compressed.Resize(MaxCompressedSize(options_.codec, body.size()));
        TARN_ASSIGN_OR_RETURN(const size_t n,
                              CompressTo(options_.codec, body, scratch_->compressed.data(),
                                         scratch_->compressed.size(), options_.compression_level));
        payload = std::string_view(scratch_->compressed.data(), n);
    }
    const size_t uncompressed = levels.size() + body.size();
    const size_t compressed = levels.size() + payload.size();
    if (std::max(uncompressed, compressed) > INT32_MAX) {
        return PageTooLarge(column_, std::max(uncompressed, compressed));
    }
    header->uncompressed_page_size = static_cast<int32_t>(uncompressed);
    header->compressed_page_size = static_cast<int32_t>(compressed);
    scratch_->header.clear();
    format::Write(*header, &scratch_->header);
    char* dst = Reserve(scratch_->header.size() + compressed);
    std::memcpy(dst, scratch_->header.data(), scratch_->header.size());
    dst += scratch_->header.size();
    if (!levels.empty()) std::memcpy(dst, levels.data(), levels.size());
    if (!payload.empty()) std::memcpy(dst + levels.size(), payload.data(), payload.size());
    chunk_uncompressed_ += static_cast<int64_t>(scratch_->header.size() + uncompressed);
    chunk_compressed_ += static_cast<int64_t>(scratch_->header.size() + compressed);
    return Status::Ok();
}

Status ColumnChunkWriter::FinishChunk(storage::ObjectWriter* out, ColumnChunk* chunk) {
    TARN_RETURN_IF_ERROR(FlushPage());
    ColumnMetaData md;
    md.type = column_.physical_type;
    md.path_in_schema = column_.path;
    md.codec = options_.codec;
    md.num_values = chunk_levels_;
    const auto start = static_cast<int64_t>(out->size());
    int64_t dict_uncompressed = 0;
    int64_t dict_compressed = 0;
    std::vector<PageEncodingStats> encoding_stats;
    std::vector<Encoding> encodings;
    int32_t dict_count = 0;
    scratch_->page.clear();
    if (DictionaryPage(&scratch_->page, &dict_count)) {
        std::string_view payload = scratch_->page;
        if (options_.codec != CompressionCodec::kUncompressed) {
            scratch_->compressed.Resize(MaxCompressedSize(options_.codec, scratch_->page.size()));
            TARN_ASSIGN_OR_RETURN(
                const size_t n,
                CompressTo(options_.codec, scratch_->page, scratch_->compressed.data(),
                           scratch_->compressed.size(), options_.compression_level));
            payload = std::string_view(scratch_->compressed.data(), n);
        }
        if (std::max(scratch_->page.size(), payload.size()) > INT32_MAX) {
            return PageTooLarge(column_, scratch_->page.size());
        }
        PageHeader header;
        header.type = PageType::kDictionaryPage;
        header.uncompressed_page_size = static_cast<int32_t>(scratch_->page.size());
        header.compressed_page_size = static_cast<int32_t>(payload.size());
        header.dictionary_page_header =
            DictionaryPageHeader{.num_values = dict_count, .encoding = Encoding::kPlain};
        scratch_->header.clear();
        format::Write(header, &scratch_->header);
        TARN_RETURN_IF_ERROR(out->Append(scratch_->header));
        TARN_RETURN_IF_ERROR(out->Append(payload));
        dict_uncompressed = static_cast<int64_t>(scratch_->header.size() + scratch_->page.size());
        dict_compressed = static_cast<int64_t>(scratch_->header.size() + payload.size());
        md.dictionary_page_offset = start;
        encoding_stats.push_back(PageEncodingStats{
            .page_type = PageType::kDictionaryPage, .encoding = Encoding::kPlain, .count = 1});
        encodings.push_back(Encoding::kPlain);
    }
    md.data_page_offset = start + dict_compressed;
    for (const BlockPool::Block& b : blocks_) {
        TARN_RETURN_IF_ERROR(out->Append(std::string_view(b.data.get(), b.used)));
    }
    if (column_.max_def_level > 0 || column_.max_rep_level > 0) {
        encodings.push_back(Encoding::kRle);
    }
    const PageType data_type =
        options_.data_page_version == 1 ? PageType::kDataPage : PageType::kDataPageV2;
    for (size_t e = 0; e < std::size(page_counts_); ++e) {
        if (page_counts_[e] == 0) continue;
        const auto enc = static_cast<Encoding>(e);
        encoding_stats.push_back(
            PageEncodingStats{.page_type = data_type, .encoding = enc, .count = page_counts_[e]});
        if (std::find(encodings.begin(), encodings.end(), enc) == encodings.end()) {
            encodings.push_back(enc);
        }
    }
    md.encodings = std::move(encodings);
    md.encoding_stats = std::move(encoding_stats);
    md.total_uncompressed_size = dict_uncompressed + chunk_uncompressed_;
    md.total_compressed_size = dict_compressed + chunk_compressed_;
    Statistics stats;
    stats.null_count = chunk_levels_ - chunk_values_;
    ChunkMinMax(&stats);
    md.statistics = std::move(stats);
    chunk->file_offset = 0;  // deprecated; the spec asks for 0
    chunk->meta_data = std::move(md);

    ResetChunk();
    for (BlockPool::Block& b : blocks_) pool_->Give(std::move(b));
    blocks_.clear();
    chunk_bytes_ = 0;
    chunk_levels_ = chunk_values_ = 0;
    chunk_uncompressed_ = chunk_compressed_ = 0;
    std::fill(std::begin(page_counts_), std::end(page_counts_), 0);
    return Status::Ok();
}

}  // namespace tarn::format
