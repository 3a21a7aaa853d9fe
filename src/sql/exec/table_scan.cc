// TableScan: the lake files of one table as batches of the scan's columns (physical_planner.h).
#include <algorithm>
#include <cctype>

#include "columnar/record_batch.h"
#include "format/csv_reader.h"
#include "format/ndjson_reader.h"
#include "format/parquet_reader.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/physical_planner.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::RecordBatch;
using columnar::TypeId;

bool SameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// A conjunct the Parquet reader can check against row-group statistics, on a table column.
struct RowGroupPredicate {
    size_t table_column = 0;
    format::ParquetPredicate predicate;
};

std::optional<format::ParquetScalar> ToScalar(const Value& v) {
    if (v.is_null) return std::nullopt;
    switch (v.type.id()) {
        case TypeId::kBoolean: return v.AsBool();
        case TypeId::kInt8:
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
        case TypeId::kDate:
        case TypeId::kTimestamp: return v.AsInt();
        case TypeId::kDecimal: return v.AsInt128();
        case TypeId::kFloat:
        case TypeId::kDouble: return v.AsDouble();
        case TypeId::kVarchar:
        case TypeId::kVarbinary: return v.AsString();
        default: return std::nullopt;
    }
}

std::optional<RowGroupPredicate> AsRowGroupPredicate(const BoundExpr& e, const ScanSpec& scan) {
    using Op = format::ParquetPredicate::Op;
    auto column_of = [&](const BoundExpr& x) -> int {
        if (x.kind != BoundKind::kColumn) return -1;
        const size_t c = scan.projection[x.column];
        // Statistics exist for primitive columns only.
        if (c >= scan.table->data_columns || scan.table->columns[c].type.is_nested()) return -1;
        return static_cast<int>(c);
    };
    RowGroupPredicate out;
    if (e.kind == BoundKind::kIsNull) {
        const int c = column_of(*e.children[0]);
        if (c < 0) return std::nullopt;
        out.table_column = c;
        out.predicate.op = e.negated ? Op::kIsNotNull : Op::kIsNull;
        out.predicate.column = scan.table->columns[c].name;
        return out;
    }
    if (e.kind != BoundKind::kCall || e.children.size() != 2) return std::nullopt;
    struct OpName {
        const char* name;
        Op op;
        Op flipped;
    };
    static const OpName kOps[] = {{"$eq", Op::kEq, Op::kEq}, {"$lt", Op::kLt, Op::kGt},
                                  {"$le", Op::kLe, Op::kGe}, {"$gt", Op::kGt, Op::kLt},
                                  {"$ge", Op::kGe, Op::kLe}};
    for (const OpName& o : kOps) {
        if (e.name != o.name) continue;
        int c = column_of(*e.children[0]);
        const BoundExpr* constant = e.children[1].get();
        Op op = o.op;
        if (c < 0) {
            c = column_of(*e.children[1]);
            constant = e.children[0].get();
            op = o.flipped;
        }
        if (c < 0 || constant->kind != BoundKind::kConstant) return std::nullopt;
        auto scalar = ToScalar(constant->value);
        if (!scalar) return std::nullopt;
        out.table_column = c;
        out.predicate.op = op;
        out.predicate.column = scan.table->columns[c].name;
        out.predicate.value = *scalar;
        return out;
    }
    return std::nullopt;
}

class TableScanOperator final : public Operator {
public:
    TableScanOperator(const LogicalOperator& op, storage::ObjectStore* lake, ExecContext* context)
        : Operator(PositionalSchema(op.columns)),
          spec_(*op.scan),
          lake_(lake),
          context_(context),
          filter_(Conjunction(op.expressions)),
          columns_(op.columns),
          batch_(schema_),
          filtered_(schema_) {
        if (filter_) evaluator_.emplace(filter_.get(), context->now_micros);
        for (const BoundExprPtr& e : op.expressions) {
            if (auto p = AsRowGroupPredicate(*e, spec_)) row_group_predicates_.push_back(*p);
        }
        context_->stats.files_pruned += spec_.pruning.files_pruned;
        context_->stats.partitions_pruned += spec_.pruning.partitions_pruned;
        context_->stats.partitions_read +=
            spec_.pruning.partitions_total - spec_.pruning.partitions_pruned;
    }

    Result<RecordBatch*> Next() override {
        while (true) {
            if (!reader_open_) {
                if (next_file_ >= spec_.files.size()) return nullptr;
                TARN_RETURN_IF_ERROR(OpenFile(spec_.files[next_file_++]));
            }
            TARN_ASSIGN_OR_RETURN(bool more, ReadBatch());
            if (!more) {
                CloseFile();
                continue;
            }
            if (batch_.num_rows() == 0) continue;
            context_->stats.rows_scanned += batch_.num_rows();
            if (!evaluator_) return &batch_;
            TARN_RETURN_IF_ERROR(evaluator_->Select(batch_, &selection_));
            if (selection_.empty()) continue;
            if (selection_.size() == batch_.num_rows()) return &batch_;
            GatherBatch(batch_, selection_.data(), selection_.size(), &filtered_);
            return &filtered_;
        }
    }

private:
    // Where output column i comes from in the current file: a reader column, or nothing (NULL),
    // or a partition value.
    struct Source {
        int reader_column = -1;
        bool cast = false;
        bool partition = false;
        ColumnVector partition_value{DataType::Boolean()};
    };

    Status OpenFile(const catalog::DataFile& file);
    Status OpenParquet(const catalog::DataFile& file);
    void AdaptToFile(const columnar::Schema& file_schema,
                     format::ParquetReaderOptions* options) const;
    Status OpenText(const catalog::DataFile& file);
    Status MapColumns(const columnar::Schema& file_schema);
    Status SetPartitionValues(const catalog::DataFile& file);
    Result<bool> ReadBatch();
    void CloseFile();

    const ScanSpec& spec_;
    storage::ObjectStore* lake_;
    ExecContext* context_;
    BoundExprPtr filter_;
    std::vector<LogicalColumn> columns_;  // the scan's output: struct columns may be narrowed
    std::optional<ExpressionEvaluator> evaluator_;
    std::vector<RowGroupPredicate> row_group_predicates_;
    RecordBatch batch_;
    RecordBatch filtered_;
    std::vector<uint32_t> selection_;
    std::vector<uint32_t> zeros_;

    size_t next_file_ = 0;
    bool reader_open_ = false;
    std::unique_ptr<format::ParquetReader> parquet_;
    std::unique_ptr<format::NdjsonReader> ndjson_;
    std::unique_ptr<format::CsvReader> csv_;
    std::string text_;  // the current text object's bytes
    std::optional<RecordBatch> reader_batch_;
    std::vector<Source> sources_;
};

Status TableScanOperator::OpenFile(const catalog::DataFile& file) {
    TARN_RETURN_IF_ERROR(SetPartitionValues(file));
    const catalog::DataFormat format = spec_.table->table.format;
    if (format == catalog::DataFormat::kParquet) {
        TARN_RETURN_IF_ERROR(OpenParquet(file));
    } else if (format == catalog::DataFormat::kJson || format == catalog::DataFormat::kCsv) {
        TARN_RETURN_IF_ERROR(OpenText(file));
    } else {
        return Status::Unimplemented("table " + spec_.table->table.database + "." +
                                     spec_.table->table.name + " has no known data format");
    }
    context_->stats.files_read += 1;
    reader_open_ = true;
    return Status::Ok();
}

// The scan's output columns that are data columns (not partition keys).
std::vector<size_t> DataOutputs(const ScanSpec& spec) {
    std::vector<size_t> out;
    for (size_t i = 0; i < spec.projection.size(); ++i) {
        if (static_cast<size_t>(spec.projection[i]) < spec.table->data_columns) out.push_back(i);
    }
    return out;
}

// Whether the struct type `type` has the member path "a.b".
bool HasMemberPath(const DataType& type, std::string_view path) {
    const size_t dot = path.find('.');
    const std::string_view head = path.substr(0, dot);
    if (type.id() != TypeId::kStruct) return false;
    for (const columnar::Field& f : type.fields()) {
        if (!SameName(f.name, head)) continue;
        return dot == std::string_view::npos || HasMemberPath(f.type, path.substr(dot + 1));
    }
    return false;
}

// The columns (or struct members) of the scan that `file_schema` holds, and the row-group
// predicates whose columns it holds with the table's type (the constants are of that type).
void TableScanOperator::AdaptToFile(const columnar::Schema& file_schema,
                                    format::ParquetReaderOptions* options) const {
    options->columns = std::vector<std::string>{};
    for (size_t out : DataOutputs(spec_)) {
        const std::string& name = columns_[out].name;
        int found = file_schema.FindField(name);
        for (size_t i = 0; found < 0 && i < file_schema.num_fields(); ++i) {
            if (SameName(file_schema.field(i).name, name)) found = static_cast<int>(i);
        }
        if (found < 0) continue;
        const columnar::Field& field = file_schema.field(found);
        const auto& paths = spec_.member_paths.empty() ? std::vector<std::string>{}
                                                        : spec_.member_paths[out];
        if (paths.empty()) {
            options->columns->push_back(field.name);
            continue;
        }
        // Only the members the query reads (those the file has: structs evolve too).
        for (const std::string& path : paths) {
            if (HasMemberPath(field.type, path)) options->columns->push_back(field.name + "." + path);
        }
    }
    for (const RowGroupPredicate& p : row_group_predicates_) {
        const int f = file_schema.FindField(p.predicate.column);
        if (f < 0 || file_schema.field(f).type != spec_.table->columns[p.table_column].type) continue;
        options->predicates.push_back(p.predicate);
    }
}

Status TableScanOperator::OpenParquet(const catalog::DataFile& file) {
    format::ParquetReaderOptions options;
    options.skip_unsupported_columns = true;
    options.adapt_to_file = [this](const format::ParquetSchema& schema,
                                   format::ParquetReaderOptions* o) {
        AdaptToFile(schema.schema, o);
    };
    TARN_ASSIGN_OR_RETURN(parquet_, format::ParquetReader::Open(lake_, file.key, options));
    context_->stats.row_groups_read += parquet_->row_groups().size();
    context_->stats.row_groups_pruned += parquet_->skipped_row_groups().size();
    reader_batch_.emplace(parquet_->NewBatch());
    return MapColumns(*parquet_->schema());
}

Status TableScanOperator::OpenText(const catalog::DataFile& file) {
    TARN_ASSIGN_OR_RETURN(text_, lake_->Get(file.key));
    context_->stats.bytes_scanned += text_.size();
    std::vector<columnar::Field> fields;
    for (size_t out : DataOutputs(spec_)) fields.push_back({columns_[out].name, columns_[out].type, true});
    TARN_ASSIGN_OR_RETURN(columnar::Schema schema, columnar::Schema::Make(std::move(fields)));
    const catalog::Table& t = spec_.table->table;
    if (t.format == catalog::DataFormat::kJson) {
        TARN_ASSIGN_OR_RETURN(ndjson_, format::NdjsonReader::Open(text_, file.key, schema));
        reader_batch_.emplace(ndjson_->NewBatch());
        return MapColumns(*ndjson_->schema());
    }
    format::CsvReadOptions options;
    options.delimiter = t.csv_delimiter;
    options.header = t.csv_header;
    TARN_ASSIGN_OR_RETURN(csv_, format::CsvReader::Open(text_, file.key, schema, options));
    reader_batch_.emplace(csv_->NewBatch());
    return MapColumns(*csv_->schema());
}

Status TableScanOperator::MapColumns(const columnar::Schema& reader_schema) {
    sources_.resize(spec_.projection.size());
    for (size_t i = 0; i < spec_.projection.size(); ++i) {
        Source& s = sources_[i];
        const size_t c = spec_.projection[i];
        const DataType& type = columns_[i].type;
        s.reader_column = -1;
        s.cast = false;
        s.partition = c >= spec_.table->data_columns;
        if (s.partition) continue;
        for (size_t f = 0; f < reader_schema.num_fields(); ++f) {
            if (SameName(reader_schema.field(f).name, columns_[i].name)) {
                s.reader_column = static_cast<int>(f);
                s.cast = reader_schema.field(f).type != type;
                break;
            }
        }
        if (s.cast && !CanCast(reader_schema.field(s.reader_column).type, type)) {
            s.reader_column = -1;  // a type the table no longer has: reads NULL
        }
    }
    return Status::Ok();
}

Status TableScanOperator::SetPartitionValues(const catalog::DataFile& file) {
    sources_.resize(spec_.projection.size());
    for (size_t i = 0; i < spec_.projection.size(); ++i) {
        const size_t c = spec_.projection[i];
        if (c < spec_.table->data_columns) continue;
        const size_t key = c - spec_.table->data_columns;
        ColumnVector text(DataType::Varchar());
        if (key < file.partition_values.size() &&
            file.partition_values[key] != "__HIVE_DEFAULT_PARTITION__") {
            text.AppendString(file.partition_values[key]);
        } else {
            text.AppendNull();
        }
        const DataType& type = columns_[i].type;
        ColumnVector value(type);
        if (type.id() == TypeId::kVarchar) {
            value = std::move(text);
        } else {
            TARN_RETURN_IF_ERROR(CastVector(text, 1, type, /*try_cast=*/true, &value));
        }
        sources_[i].partition_value = std::move(value);
    }
    return Status::Ok();
}

Result<bool> TableScanOperator::ReadBatch() {
    RecordBatch& in = *reader_batch_;
    bool more = false;
    if (parquet_) {
        TARN_ASSIGN_OR_RETURN(more, parquet_->Next(&in));
    } else if (ndjson_) {
        TARN_ASSIGN_OR_RETURN(more, ndjson_->Next(&in));
    } else {
        TARN_ASSIGN_OR_RETURN(more, csv_->Next(&in));
    }
    if (!more) return false;
    const size_t rows = in.num_rows();
    if (zeros_.size() < rows) zeros_.resize(rows, 0);
    for (size_t i = 0; i < sources_.size(); ++i) {
        Source& s = sources_[i];
        ColumnVector& out = batch_.column(i);
        if (s.partition) {
            GatherRows(s.partition_value, zeros_.data(), rows, &out);
        } else if (s.reader_column < 0) {
            // A column the file lacks: all NULL, set a word at a time.
            out.Reset();
            out.Resize(rows);
            std::fill_n(out.MutableValidityBits(), columnar::ValidityWords(rows), uint64_t{0});
        } else if (s.cast) {
            out.Reset();
            TARN_RETURN_IF_ERROR(CastVector(in.column(s.reader_column), rows, out.type(),
                                            /*try_cast=*/true, &out));
        } else {
            // Same type: trade vectors with the reader's batch (it resets them on its next call).
            std::swap(out, in.column(s.reader_column));
        }
    }
    batch_.set_num_rows(rows);
    return true;
}

void TableScanOperator::CloseFile() {
    if (parquet_) context_->stats.bytes_scanned += parquet_->bytes_read();
    parquet_.reset();
    ndjson_.reset();
    csv_.reset();
    reader_batch_.reset();
    text_.clear();
    text_.shrink_to_fit();
    reader_open_ = false;
}

}  // namespace

Result<OperatorPtr> MakeTableScan(const LogicalOperator& scan, storage::ObjectStore* lake,
                                  ExecContext* context) {
    return OperatorPtr(std::make_unique<TableScanOperator>(scan, lake, context));
}

}  // namespace tarn::sql
