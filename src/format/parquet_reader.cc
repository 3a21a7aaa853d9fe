#include "format/parquet_reader.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "format/parquet_column_reader.h"
#include "format/parquet_nested_assembly.h"

namespace tarn::format {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;

namespace {

// Open reads this much of the file's tail at once: the footer of most files is inside it.
constexpr uint64_t kTailRead = 64 << 10;
// Coalesced reads stop growing at this size.
constexpr uint64_t kMaxCoalescedRead = 64 << 20;

uint32_t LoadLe32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// Where a column chunk's pages start: its dictionary page when it has one.
int64_t ChunkStart(const ColumnMetaData& md) {
    if (md.dictionary_page_offset && *md.dictionary_page_offset > 0 &&
        *md.dictionary_page_offset < md.data_page_offset) {
        return *md.dictionary_page_offset;
    }
    return md.data_page_offset;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += sep;
        out += parts[i];
    }
    return out;
}

// A resolved column name: the top-level field and the struct members below it.
struct ColumnRef {
    size_t top = 0;
    std::vector<size_t> members;
};

Result<ColumnRef> ResolveName(const columnar::Schema& schema, const std::string& name,
                              const std::string& file) {
    ColumnRef ref;
    const int whole = schema.FindField(name);
    if (whole >= 0) {
        ref.top = static_cast<size_t>(whole);
        return ref;
    }
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t dot = name.find('.', start);
        parts.push_back(
            name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    const int top = schema.FindField(parts[0]);
    if (top < 0 || parts.size() == 1) {
        std::vector<std::string> names;
        for (const Field& f : schema.fields()) names.push_back(f.name);
        return Status::InvalidArgument(file + ": no column '" + name +
                                       "' (columns: " + Join(names, ", ") + ")");
    }
    ref.top = static_cast<size_t>(top);
    const Field* f = &schema.field(ref.top);
    std::string at = parts[0];
    for (size_t i = 1; i < parts.size(); ++i) {
        if (f->type.id() != TypeId::kStruct) {
            return Status::InvalidArgument(file + ": column '" + name + "': '" + at + "' is a " +
                                           f->type.ToString() + ", not a struct");
        }
        size_t found = f->type.num_fields();
        for (size_t k = 0; k < f->type.num_fields(); ++k) {
            if (f->type.field(k).name == parts[i]) found = k;
        }
        if (found == f->type.num_fields()) {
            std::vector<std::string> names;
            for (const Field& m : f->type.fields()) names.push_back(m.name);
            return Status::InvalidArgument(file + ": column '" + name + "': struct '" + at +
                                           "' has no member '" + parts[i] +
                                           "' (members: " + Join(names, ", ") + ")");
        }
        ref.members.push_back(found);
        f = &f->type.field(found);
        at += "." + parts[i];
    }
    return ref;
}

// Which parts of a field are projected: all of it, or some struct members.
struct Selection {
    bool all = false;
    std::map<size_t, Selection> members;  // by member index (file order)
};

Field PruneField(const Field& f, const Selection& sel) {
    if (sel.all) return f;
    std::vector<Field> members;
    for (const auto& [index, sub] : sel.members) {
        members.push_back(PruneField(f.type.field(index), sub));
    }
    Field out = f;
    out.type = DataType::Struct(std::move(members));
    return out;
}

}  // namespace

ParquetReader::ParquetReader(std::unique_ptr<RandomAccessSource> source,
                             ParquetReaderOptions options)
    : source_(std::move(source)),
      options_(std::move(options)),
      assembler_(std::make_unique<NestedAssembler>()),
      levels_(std::make_unique<NestedLevels>()) {
    pool_ = options_.buffer_pool != nullptr ? options_.buffer_pool : ReadBufferPool::Default();
}

ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(
    std::unique_ptr<RandomAccessSource> source, ParquetReaderOptions options) {
    if (options.batch_rows == 0) {
        return Status::InvalidArgument("ParquetReader: batch_rows must be positive");
    }
    std::unique_ptr<ParquetReader> r(new ParquetReader(std::move(source), std::move(options)));
    TARN_RETURN_IF_ERROR(r->ReadFooter());
    TARN_RETURN_IF_ERROR(r->ValidateMetadata());
    if (r->options_.adapt_to_file) r->options_.adapt_to_file(r->pschema_, &r->options_);
    TARN_RETURN_IF_ERROR(r->Project());
    TARN_RETURN_IF_ERROR(r->SelectRowGroups());
    return r;
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(storage::ObjectStore* store,
                                                           std::string key,
                                                           ParquetReaderOptions options) {
    return Open(MakeObjectSource(store, std::move(key)), std::move(options));
}

const std::string& ParquetReader::name() const { return source_->name(); }
uint64_t ParquetReader::bytes_read() const { return source_->bytes_read(); }
uint64_t ParquetReader::reads() const { return source_->reads(); }

const ColumnOrder* ParquetReader::column_order(size_t leaf) const {
    if (!meta_.column_orders || meta_.column_orders->size() != file_leaves_) return nullptr;
    return &(*meta_.column_orders)[file_leaf_[leaf]];
}

RecordBatch ParquetReader::NewBatch() const { return RecordBatch(schema_, options_.batch_rows); }

Result<FileMetaData> ReadParquetFooter(RandomAccessSource* source, uint64_t* file_size_out,
                                       uint32_t* footer_size_out) {
    const std::string& file = source->name();
    TARN_ASSIGN_OR_RETURN(const uint64_t file_size, source->Size());
    if (file_size < 12) {
        return Status::Corruption(file + ": not a Parquet file (" + std::to_string(file_size) +
                                  " bytes, too small)");
    }
    const uint64_t tail_len = std::min(file_size, kTailRead);
    TARN_ASSIGN_OR_RETURN(std::string tail, source->Read(file_size - tail_len, tail_len));
    const std::string_view magic(tail.data() + tail_len - 4, 4);
    if (magic == "PARE") {
        return Status::Unimplemented(file +
                                     ": the file is encrypted (PARE footer); encrypted "
                                     "Parquet files are not supported");
    }
    if (magic != "PAR1") return Status::Corruption(file + ": not a Parquet file (no PAR1 magic)");
    const uint32_t footer_size = LoadLe32(tail.data() + tail_len - 8);
    if (footer_size > file_size - 12) {
        return Status::Corruption(file + ": the footer length " + std::to_string(footer_size) +
                                  " exceeds the file (" + std::to_string(file_size) + " bytes)");
    }
    std::string head;
    if (tail_len == file_size) {
        head = tail.substr(0, 4);
    } else {
        TARN_ASSIGN_OR_RETURN(head, source->Read(0, 4));
    }
    if (head != "PAR1") {
        return Status::Corruption(file + ": not a Parquet file (no PAR1 magic at the start)");
    }
    std::string footer;
    if (footer_size + 8 <= tail_len) {
        footer = tail.substr(tail_len - 8 - footer_size, footer_size);
    } else {
        TARN_ASSIGN_OR_RETURN(footer, source->Read(file_size - 8 - footer_size, footer_size));
    }
    Result<FileMetaData> meta = ReadFileMetaData(footer);
    if (!meta.ok()) {
        return Status(meta.status().code(), file + ": footer: " + meta.status().message());
    }
    if (file_size_out != nullptr) *file_size_out = file_size;
    if (footer_size_out != nullptr) *footer_size_out = footer_size;
    return meta;
}

Status ParquetReader::ReadFooter() {
    TARN_ASSIGN_OR_RETURN(meta_, ReadParquetFooter(source_.get(), &file_size_, &footer_size_));
    return Status::Ok();
}

namespace {

bool IsGroupElement(const SchemaElement& e) {
    return e.num_children.has_value() && (*e.num_children > 0 || !e.type.has_value());
}

// The index after the subtree starting at `begin`, and its leaves; nullopt when malformed.
std::optional<size_t> SubtreeEnd(const std::vector<SchemaElement>& el, size_t begin,
                                 size_t* leaves) {
    size_t pending = 1;  // elements still to visit
    size_t i = begin;
    while (pending > 0) {
        if (i >= el.size()) return std::nullopt;
        --pending;
        if (IsGroupElement(el[i])) {
            if (*el[i].num_children < 0 ||
                static_cast<size_t>(*el[i].num_children) > el.size() - i) {
                return std::nullopt;
            }
            pending += static_cast<size_t>(*el[i].num_children);
        } else {
            ++*leaves;
        }
        ++i;
    }
    return i;
}

}  // namespace

Status ParquetReader::MapSchema() {
    const std::string& file = name();
    Result<ParquetSchema> schema = FromParquetSchema(meta_.schema, options_.schema);
    if (schema.ok()) {
        pschema_ = std::move(*schema);
        file_leaves_ = pschema_.columns.size();
        for (size_t i = 0; i < file_leaves_; ++i) file_leaf_.push_back(i);
        return Status::Ok();
    }
    if (schema.status().code() != StatusCode::kUnimplemented ||
        !options_.skip_unsupported_columns) {
        return Status(schema.status().code(), file + ": " + schema.status().message());
    }
    // Map each top-level subtree alone; keep those that map.
    const std::vector<SchemaElement>& el = meta_.schema;
    std::vector<SchemaElement> kept{el[0]};
    int32_t kept_fields = 0;
    std::vector<size_t> kept_leaves;
    size_t pos = 1;
    for (int32_t f = 0; f < el[0].num_children.value_or(0); ++f) {
        size_t leaves = 0;
        const std::optional<size_t> end = SubtreeEnd(el, pos, &leaves);
        if (!end) return Status::Corruption(file + ": malformed Parquet schema");
        std::vector<SchemaElement> alone{el[0]};
        alone[0].num_children = 1;
        alone.insert(alone.end(), el.begin() + static_cast<std::ptrdiff_t>(pos),
                     el.begin() + static_cast<std::ptrdiff_t>(*end));
        Result<ParquetSchema> one = FromParquetSchema(alone, options_.schema);
        if (one.ok()) {
            kept.insert(kept.end(), alone.begin() + 1, alone.end());
            ++kept_fields;
            for (size_t l = 0; l < leaves; ++l) kept_leaves.push_back(file_leaves_ + l);
        } else if (one.status().code() == StatusCode::kUnimplemented) {
            unsupported_.emplace_back(el[pos].name, one.status().message());
        } else {
            return Status(one.status().code(), file + ": " + one.status().message());
        }
        file_leaves_ += leaves;
        pos = *end;
    }
    kept[0].num_children = kept_fields;
    Result<ParquetSchema> mapped = FromParquetSchema(kept, options_.schema);
    if (!mapped.ok()) {
        return Status(mapped.status().code(), file + ": " + mapped.status().message());
    }
    pschema_ = std::move(*mapped);
    file_leaf_ = std::move(kept_leaves);
    return Status::Ok();
}

Status ParquetReader::ValidateMetadata() {
    const std::string& file = name();
    TARN_RETURN_IF_ERROR(MapSchema());
    const size_t leaves = file_leaves_;
    if (meta_.num_rows < 0) return Status::Corruption(file + ": negative row count");
    const uint64_t data_end = file_size_ - 8 - footer_size_;
    for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
        const RowGroup& rg = meta_.row_groups[g];
        auto where = [g] { return "row group " + std::to_string(g); };
        if (rg.num_rows < 0) {
            return Status::Corruption(file + ": " + where() + ": negative row count");
        }
        if (rg.columns.size() != leaves) {
            return Status::Corruption(
                file + ": " + where() + " has " + std::to_string(rg.columns.size()) +
                " column chunks, the schema has " + std::to_string(leaves) + " leaf columns");
        }
        for (size_t l = 0; l < pschema_.columns.size(); ++l) {
            const size_t c = file_leaf_[l];
            const ColumnChunk& cc = rg.columns[c];
            const ParquetColumn& leaf = pschema_.columns[l];
            // Messages name the chunk; the text is made only when one is needed.
            auto chunk = [&] { return "column chunk " + std::to_string(c) + " of " + where(); };
            if (cc.file_path) {
                return Status::Unimplemented(file + ": " + chunk() + " is in another file ('" +
                                             *cc.file_path + "')");
            }
            if (!cc.meta_data)
                return Status::Corruption(file + ": " + chunk() + " has no metadata");
            const ColumnMetaData& md = *cc.meta_data;
            if (md.type != leaf.physical_type) {
                return Status::Corruption(file + ": " + chunk() + " has physical type " +
                                          std::to_string(static_cast<int32_t>(md.type)) +
                                          ", the schema's column '" + leaf.PathString() + "' has " +
                                          std::to_string(static_cast<int32_t>(leaf.physical_type)));
            }
            if (md.path_in_schema != leaf.path) {
                return Status::Corruption(file + ": " + chunk() + " is for column '" +
                                          Join(md.path_in_schema, ".") + "', the schema has '" +
                                          leaf.PathString() + "' there");
            }
            Result<CompressionCodec> codec =
                CompressionCodecFromThrift(static_cast<int32_t>(md.codec));
            if (!codec.ok()) {
                return Status::Corruption(file + ": " + chunk() + ": " + codec.status().message());
            }
            if (md.num_values < 0 || md.total_compressed_size < 0 || md.data_page_offset < 0 ||
                (md.dictionary_page_offset && *md.dictionary_page_offset < 0)) {
                return Status::Corruption(file + ": " + chunk() + " has a negative size or offset");
            }
            if (md.num_values < rg.num_rows) {
                return Status::Corruption(file + ": " + chunk() + " holds " +
                                          std::to_string(md.num_values) + " values for " +
                                          std::to_string(rg.num_rows) + " rows");
            }
            const auto start = static_cast<uint64_t>(ChunkStart(md));
            const auto size = static_cast<uint64_t>(md.total_compressed_size);
            if (start < 4) {
                return Status::Corruption(file + ": " + chunk() + " starts at byte " +
                                          std::to_string(start) + ", inside the leading magic");
            }
            if (size > file_size_ || start > file_size_ - size) {
                // Both are below 2^63, so the sum does not wrap.
                return Status::Corruption(
                    file + ": " + chunk() + " ends at " + std::to_string(start + size) +
                    ", past the end of the file (" + std::to_string(file_size_) + " bytes)");
            }
            if (start + size > data_end) {
                return Status::Corruption(
                    file + ": " + chunk() + " ends at " + std::to_string(start + size) +
                    ", inside the footer (which starts at byte " + std::to_string(data_end) + ")");
            }
        }
    }
    return Status::Ok();
}

Status ParquetReader::Project() {
    const std::string& file = name();
    const columnar::Schema& fs = pschema_.schema;
    // Top-level fields in the order first named, each with what of it is selected.
    std::vector<std::pair<size_t, Selection>> tops;
    auto top_selection = [&](size_t top) -> Selection& {
        for (auto& [t, sel] : tops) {
            if (t == top) return sel;
        }
        tops.emplace_back(top, Selection{});
        return tops.back().second;
    };
    if (!options_.columns) {
        for (size_t i = 0; i < fs.num_fields(); ++i) top_selection(i).all = true;
    } else {
        for (const std::string& name : *options_.columns) {
            for (const auto& [skipped, why] : unsupported_) {
                if (name == skipped || name.starts_with(skipped + ".")) {
                    return Status::Unimplemented(file + ": column '" + name +
                                                 "' cannot be read: " + why);
                }
            }
            TARN_ASSIGN_OR_RETURN(ColumnRef ref, ResolveName(fs, name, file));
            Selection* sel = &top_selection(ref.top);
            for (size_t m : ref.members) {
                if (sel->all) break;
                sel = &sel->members[m];
            }
            sel->all = true;
            sel->members.clear();
        }
    }
    std::vector<Field> fields;
    for (const auto& [top, sel] : tops) fields.push_back(PruneField(fs.field(top), sel));
    Result<columnar::Schema> schema = columnar::Schema::Make(std::move(fields));
    if (!schema.ok()) return Status::Internal(file + ": projection: " + schema.status().message());
    schema_ = std::make_shared<const columnar::Schema>(std::move(*schema));

    // The projected leaves and their paths through the output vectors.
    std::set<std::vector<size_t>> driven;  // vectors that have a driver: output column + children
    for (size_t c = 0; c < pschema_.columns.size(); ++c) {
        const ParquetColumn& col = pschema_.columns[c];
        size_t out_col = tops.size();
        for (size_t i = 0; i < tops.size(); ++i) {
            if (tops[i].first == col.field_index) out_col = i;
        }
        if (out_col == tops.size()) continue;
        const Selection* sel = &tops[out_col].second;
        const Field* field = &schema_->field(out_col);
        LeafPath path;
        path.leaf = c;
        path.output_column = out_col;
        path.name = col.PathString();
        path.max_def = col.max_def_level;
        path.max_rep = col.max_rep_level;
        path.start_step.assign(static_cast<size_t>(col.max_rep_level) + 1, 0);
        path.list_step.assign(static_cast<size_t>(col.max_rep_level) + 1, 0);
        // Is the leaf selected, and through which output children?
        bool selected = true;
        std::vector<uint16_t> children;
        for (size_t s = 0; s + 1 < col.steps.size(); ++s) {
            const ColumnStep& cs = col.steps[s];
            uint16_t child = cs.child;
            if (cs.kind == TypeId::kStruct && sel != nullptr && !sel->all) {
                auto it = sel->members.find(cs.child);
                if (it == sel->members.end()) {
                    selected = false;
                    break;
                }
                child = static_cast<uint16_t>(std::distance(sel->members.begin(), it));
                sel = &it->second;
            } else if (cs.kind != TypeId::kStruct) {
                sel = nullptr;  // below a list or map everything is selected
            }
            children.push_back(child);
        }
        if (!selected) continue;
        std::vector<size_t> key{out_col};
        for (size_t s = 0; s < col.steps.size(); ++s) {
            const ColumnStep& cs = col.steps[s];
            PathStep ps;
            ps.kind = cs.kind;
            ps.optional = cs.optional;
            ps.nullable = field->nullable;
            ps.def_level = cs.def_level;
            ps.rep_level = cs.rep_level;
            ps.driver = driven.insert(key).second;
            if (s + 1 < col.steps.size()) {
                ps.child = children[s];
                field = &field->type.field(ps.child);
                key.push_back(ps.child);
            }
            if (cs.kind == TypeId::kList || cs.kind == TypeId::kMap) {
                const auto r = static_cast<size_t>(cs.rep_level);
                if (r == 0 || r > static_cast<size_t>(col.max_rep_level)) {
                    return Status::Internal(file + ": bad repetition level in the schema mapping");
                }
                path.start_step[r] = s + 1;
                path.list_step[r] = s;
            }
            path.steps.push_back(ps);
        }
        leaves_.push_back(c);
        paths_.push_back(std::move(path));
    }
    for (size_t i = 0; i < leaves_.size(); ++i) {
        readers_.push_back(
            std::make_unique<ColumnChunkReader>(pschema_.columns[leaves_[i]], paths_[i], name()));
    }
    return Status::Ok();
}

Status ParquetReader::SelectRowGroups() {
    const std::string& file = name();
    // Resolve the predicates to leaves.
    std::vector<std::pair<size_t, ParquetPredicate>> preds;
    for (const ParquetPredicate& p : options_.predicates) {
        TARN_ASSIGN_OR_RETURN(ColumnRef ref, ResolveName(pschema_.schema, p.column, file));
        size_t found = pschema_.columns.size();
        for (size_t c = 0; c < pschema_.columns.size(); ++c) {
            const ParquetColumn& col = pschema_.columns[c];
            if (col.field_index != ref.top || col.steps.size() != ref.members.size() + 1) continue;
            bool match = true;
            for (size_t i = 0; i < ref.members.size(); ++i) {
                match &=
                    col.steps[i].kind == TypeId::kStruct && col.steps[i].child == ref.members[i];
            }
            if (match) found = c;
        }
        if (found == pschema_.columns.size() || pschema_.columns[found].max_rep_level > 0) {
            return Status::InvalidArgument(file + ": predicate column '" + p.column +
                                           "' is not a primitive column outside lists and maps");
        }
        ParquetPredicate q = p;
        if (q.op != ParquetPredicate::Op::kIsNull && q.op != ParquetPredicate::Op::kIsNotNull) {
            TARN_RETURN_IF_ERROR(CoerceScalar(pschema_.columns[found].type, &q.value, p.column));
        }
        preds.emplace_back(found, std::move(q));
    }
    std::vector<size_t> candidates;
    if (options_.row_groups) {
        for (size_t g : *options_.row_groups) {
            if (g >= meta_.row_groups.size()) {
                return Status::InvalidArgument(file + ": row group " + std::to_string(g) +
                                               " does not exist (the file has " +
                                               std::to_string(meta_.row_groups.size()) + ")");
            }
            candidates.push_back(g);
        }
    } else {
        for (size_t g = 0; g < meta_.row_groups.size(); ++g) candidates.push_back(g);
    }
    for (size_t g : candidates) {
        const RowGroup& rg = meta_.row_groups[g];
        if (rg.num_rows == 0) continue;
        bool skip = false;
        for (const auto& [leaf, pred] : preds) {
            if (ChunkCanBeSkipped(pschema_.columns[leaf], *chunk(g, leaf).meta_data,
                                  column_order(leaf), pred)) {
                skip = true;
                break;
            }
        }
        if (skip) {
            skipped_.push_back(g);
            continue;
        }
        groups_.push_back(g);
        scan_rows_ += rg.num_rows;
        for (size_t leaf : leaves_) {
            scan_bytes_ += static_cast<uint64_t>(chunk(g, leaf).meta_data->total_compressed_size);
        }
    }
    return Status::Ok();
}

Status ParquetReader::StartRowGroup(size_t group) {
    const RowGroup& rg = meta_.row_groups[group];
    struct Range {
        uint64_t start;
        uint64_t size;
        size_t reader;
    };
    std::vector<Range> ranges;
    for (size_t i = 0; i < leaves_.size(); ++i) {
        const ColumnMetaData& md = *chunk(group, leaves_[i]).meta_data;
        ranges.push_back({static_cast<uint64_t>(ChunkStart(md)),
                          static_cast<uint64_t>(md.total_compressed_size), i});
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.start < b.start; });
    group_bytes_.clear();
    group_bytes_.reserve(ranges.size());
    size_t i = 0;
    while (i < ranges.size()) {
        // Coalesce nearby chunks into one read.
        uint64_t begin = ranges[i].start;
        uint64_t end = begin + ranges[i].size;
        size_t j = i + 1;
        while (j < ranges.size() && ranges[j].start <= end + options_.coalesce_gap_bytes &&
               std::max(end, ranges[j].start + ranges[j].size) - begin <= kMaxCoalescedRead) {
            end = std::max(end, ranges[j].start + ranges[j].size);
            ++j;
        }
        ReadBuffer& buf = group_bytes_.emplace_back(pool_->Take(end - begin));
        TARN_RETURN_IF_ERROR(source_->ReadInto(begin, end - begin, buf.data()));
        for (size_t k = i; k < j; ++k) {
            const std::string_view bytes_view(buf.data() + (ranges[k].start - begin),
                                              ranges[k].size);
            const size_t r = ranges[k].reader;
            readers_[r]->Start(bytes_view, *chunk(group, leaves_[r]).meta_data, group, rg.num_rows);
        }
        i = j;
    }
    return Status::Ok();
}

Status ParquetReader::ReadBatch(size_t rows, RecordBatch* batch) {
    batch->Reset();
    for (size_t c = 0; c < batch->num_columns(); ++c) batch->column(c).Resize(rows);
    for (size_t i = 0; i < leaves_.size(); ++i) {
        const LeafPath& path = paths_[i];
        vecs_.resize(path.steps.size());
        ResolvePath(path, &batch->column(path.output_column), vecs_.data());
        if (path.flat()) {
            TARN_RETURN_IF_ERROR(readers_[i]->ReadFlat(rows, vecs_.data()));
        } else {
            TARN_RETURN_IF_ERROR(readers_[i]->ReadNested(rows, levels_.get(), vecs_.back()));
            TARN_RETURN_IF_ERROR(
                assembler_->Assemble(path, vecs_.data(), *levels_, rows, readers_[i]->context()));
        }
    }
    batch->set_num_rows(rows);
    if (options_.validate_batches) {
        Status s = batch->Validate();
        if (!s.ok()) return Status::Internal(name() + ": decoded batch is invalid: " + s.message());
    }
    return Status::Ok();
}

Status ParquetReader::Fail(Status s) {
    status_ = s;
    return s;
}

Result<bool> ParquetReader::Next(RecordBatch* batch) {
    if (!status_.ok()) return status_;
    if (batch->schema().get() != schema_.get() && !batch->schema()->Equals(*schema_)) {
        return Status::InvalidArgument(name() + ": the batch's schema is not the reader's");
    }
    while (group_left_ == 0) {
        if (next_group_ == groups_.size()) {
            batch->Reset();
            return false;
        }
        const size_t g = groups_[next_group_++];
        Status s = StartRowGroup(g);
        if (!s.ok()) return Fail(s);
        group_left_ = meta_.row_groups[g].num_rows;
    }
    const auto rows = static_cast<size_t>(
        std::min<int64_t>(group_left_, static_cast<int64_t>(options_.batch_rows)));
    Status s = ReadBatch(rows, batch);
    if (!s.ok()) return Fail(s);
    group_left_ -= static_cast<int64_t>(rows);
    return true;
}

}  // namespace tarn::format
