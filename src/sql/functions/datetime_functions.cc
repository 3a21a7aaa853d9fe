// The date/time function group: binding (Trino's overloads, the unit parsed once into the
// binding's state) and the simple kernels -- field extraction, ISO-8601 parsing, Unix time and the
// query's clock. date_trunc/date_add/date_diff are in datetime_arith.cc, date_format in
// datetime_format.cc.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>

#include "common/text.h"
#include "format/type_inference.h"
#include "sql/functions/datetime_internal.h"
#include "sql/functions/function_groups.h"

namespace tarn::sql {
namespace {

using namespace builtin;  // NOLINT: this group's own helper namespace
using datetime::Args;

// Time fields come last (BindExtract compares with kHour).
enum class Field {
    kYear,
    kYearOfWeek,  // the ISO year of the ISO week
    kQuarter,
    kMonth,
    kDay,
    kDow,
    kDoy,
    kWeek,
    kHour,
    kMinute,
    kSecond,
    kMilli
};

// Extracts a field from days since the epoch and the microseconds into the day.
template <Field F>
int64_t Extract(int64_t days, int64_t tod) {
    using namespace datetime;  // NOLINT
    if constexpr (F == Field::kYear) return CivilOf(days).year;
    if constexpr (F == Field::kYearOfWeek) return CivilOf(days - DayOfWeek(days) + 4).year;
    if constexpr (F == Field::kQuarter) return (CivilOf(days).month - 1) / 3 + 1;
    if constexpr (F == Field::kMonth) return CivilOf(days).month;
    if constexpr (F == Field::kDay) return CivilOf(days).day;
    if constexpr (F == Field::kDow) return DayOfWeek(days);
    if constexpr (F == Field::kDoy) return DayOfYear(days);
    if constexpr (F == Field::kWeek) return IsoWeek(days);
    if constexpr (F == Field::kHour) return tod / kMicrosPerHour;
    if constexpr (F == Field::kMinute) return tod / kMicrosPerMinute % 60;
    if constexpr (F == Field::kSecond) return tod / kMicrosPerSecond % 60;
    if constexpr (F == Field::kMilli) return tod / kMicrosPerMilli % 1000;
}

template <Field F, bool kDate>
Status ExtractKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        if constexpr (kDate) {
            res[i] = Extract<F>(args[0]->Data<int32_t>()[i], 0);
        } else {
            const int64_t t = args[0]->Data<int64_t>()[i];
            const int64_t days = FloorDiv(t, datetime::kMicrosPerDay);
            res[i] = Extract<F>(days, t - days * datetime::kMicrosPerDay);
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status InvalidFormat(std::string_view text) {
    return Status::InvalidArgument("Invalid format: \"" + std::string(text) + "\"");
}

Status FromIsoTimestampKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        const std::string_view text = args[0]->GetString(i);
        if (!format::ParseTimestampText(text, &res[i])) return InvalidFormat(text);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status FromIsoDateKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int32_t* res = out->MutableData<int32_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        const std::string_view text = args[0]->GetString(i);
        if (!format::ParseDateText(text, &res[i])) return InvalidFormat(text);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status FromUnixtimeKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const double* in = args[0]->Data<double>();
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        const double micros = std::round(in[i] * 1e6);
        // +-9.2e18 microseconds is the TIMESTAMP range; NaN fails both comparisons.
        if (!(micros > -9.2e18 && micros < 9.2e18)) {
            return Status::InvalidArgument("from_unixtime: " + std::to_string(in[i]) +
                                           " is out of range");
        }
        res[i] = static_cast<int64_t>(micros);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status ToUnixtimeKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const int64_t* in = args[0]->Data<int64_t>();
    out->Resize(ctx.rows);
    double* res = out->MutableData<double>();
    for (size_t i = 0; i < ctx.rows; ++i) res[i] = static_cast<double>(in[i]) / 1e6;
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status CurrentTimestampKernel(const KernelContext& ctx, Args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int64_t* res = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) res[i] = ctx.now_micros;
    return Status::Ok();
}

Status CurrentDateKernel(const KernelContext& ctx, Args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int32_t* res = out->MutableData<int32_t>();
    const auto today = static_cast<int32_t>(FloorDiv(ctx.now_micros, datetime::kMicrosPerDay));
    for (size_t i = 0; i < ctx.rows; ++i) res[i] = today;
    return Status::Ok();
}

template <Field F>
FunctionBindResult BindExtract(std::string_view name, std::span<const ArgumentInfo> args) {
    const bool time_field = F >= Field::kHour;
    if (args.size() != 1 || !FitsTimestamp(args[0])) {
        if (time_field) return UnexpectedParameters(name, args, {"timestamp(3)"});
        return UnexpectedParameters(name, args, {"date", "timestamp(3)"});
    }
    // Fields of a day read a DATE as it is; time fields see it as midnight.
    if (!time_field && args[0].type.id() == TypeId::kDate && !args[0].is_null_literal) {
        return {MakeFunction(name, ExtractKernel<F, true>, DataType::Int64(), {DataType::Date()})};
    }
    return {
        MakeFunction(name, ExtractKernel<F, false>, DataType::Int64(), {DataType::Timestamp()})};
}

// The unit of date_trunc/date_add/date_diff: a constant, checked against the overload (a DATE
// has no hours). A NULL unit makes every row NULL, so any unit will do.
Result<std::shared_ptr<const void>> BindUnit(const ArgumentInfo& arg, bool date) {
    auto state = std::make_shared<datetime::UnitState>();
    if (arg.is_null_literal || (arg.constant != nullptr && arg.constant->is_null)) return {state};
    if (arg.constant == nullptr) return Status::InvalidArgument("unit must be a constant");
    const std::string text = AsciiLower(arg.constant->AsString());
    if (!datetime::ParseUnit(text, &state->unit) || (date && !datetime::IsDateUnit(state->unit))) {
        return Status::InvalidArgument("'" + text + "' is not a valid " +
                                       (date ? "DATE" : "TIMESTAMP") + " field");
    }
    return {state};
}

bool IsDate(const ArgumentInfo& a) { return !a.is_null_literal && a.type.id() == TypeId::kDate; }

FunctionBindResult BindUnitFunction(std::string_view name, std::span<const ArgumentInfo> args) {
    const DataType v = DataType::Varchar();
    const DataType b = DataType::Int64();
    const size_t n = args.size();
    const size_t first = n - 1;  // date_trunc's x; date_add's x; date_diff's b
    bool fits = n >= 2 && FitsVarchar(args[0]) && FitsTimestamp(args[first]);
    if (name == "date_trunc") {
        if (!fits || n != 2) {
            return UnexpectedParameters(name, args,
                                        {"varchar(x), date", "varchar(x), timestamp(3)"});
        }
    } else if (name == "date_add") {
        if (!fits || n != 3 || !FitsBigint(args[1])) {
            return UnexpectedParameters(
                name, args, {"varchar(x), bigint, date", "varchar(x), bigint, timestamp(3)"});
        }
    } else if (!fits || n != 3 || !FitsTimestamp(args[1])) {
        return UnexpectedParameters(
            name, args, {"varchar(x), date, date", "varchar(x), timestamp(3), timestamp(3)"});
    }
    // DATE overloads when the date/time arguments are DATEs (an untyped NULL beside a DATE too).
    auto date_or_null = [](const ArgumentInfo& a) { return IsDate(a) || a.is_null_literal; };
    bool date = IsDate(args[first]);
    if (name == "date_diff") {
        date =
            date_or_null(args[1]) && date_or_null(args[2]) && (IsDate(args[1]) || IsDate(args[2]));
    }
    TARN_ASSIGN_OR_RETURN(auto state, BindUnit(args[0], date));
    const DataType t = date ? DataType::Date() : DataType::Timestamp();
    std::shared_ptr<ScalarFunction> f;
    if (name == "date_trunc") {
        f = MakeFunction(name,
                         date ? datetime::DateTruncDateKernel : datetime::DateTruncTimestampKernel,
                         t, {v, t});
    } else if (name == "date_add") {
        f = MakeFunction(name,
                         date ? datetime::DateAddDateKernel : datetime::DateAddTimestampKernel, t,
                         {v, b, t});
    } else {
        f = MakeFunction(name,
                         date ? datetime::DateDiffDateKernel : datetime::DateDiffTimestampKernel, b,
                         {v, t, t});
    }
    f->state = std::move(state);
    return {f};
}

FunctionBindResult BindOne(std::string_view name, std::span<const ArgumentInfo> args,
                           bool (*fits)(const ArgumentInfo&), const char* expected,
                           ScalarKernel kernel, DataType param, DataType ret) {
    if (args.size() != 1 || !fits(args[0])) return UnexpectedParameters(name, args, {expected});
    return {MakeFunction(name, kernel, std::move(ret), {std::move(param)})};
}

}  // namespace

namespace datetime {
bool ParseUnit(std::string_view text, Unit* unit) {
    static constexpr std::pair<std::string_view, Unit> kUnits[] = {
        {"millisecond", Unit::kMillisecond},
        {"second", Unit::kSecond},
        {"minute", Unit::kMinute},
        {"hour", Unit::kHour},
        {"day", Unit::kDay},
        {"week", Unit::kWeek},
        {"month", Unit::kMonth},
        {"quarter", Unit::kQuarter},
        {"year", Unit::kYear}};
    for (const auto& [word, u] : kUnits) {
        if (text.size() != word.size()) continue;
        bool same = true;
        for (size_t i = 0; i < word.size() && same; ++i) {
            same = std::tolower(static_cast<unsigned char>(text[i])) == word[i];
        }
        if (same) {
            *unit = u;
            return true;
        }
    }
    return false;
}
}  // namespace datetime

FunctionBindResult BindDateTimeFunction(std::string_view name, std::span<const ArgumentInfo> args) {
    const DataType ts = DataType::Timestamp();
    if (name == "date_trunc" || name == "date_add" || name == "date_diff") {
        return BindUnitFunction(name, args);
    }
    if (name == "year") return BindExtract<Field::kYear>(name, args);
    if (name == "year_of_week" || name == "yow") return BindExtract<Field::kYearOfWeek>(name, args);
    if (name == "quarter") return BindExtract<Field::kQuarter>(name, args);
    if (name == "month") return BindExtract<Field::kMonth>(name, args);
    if (name == "day" || name == "day_of_month") return BindExtract<Field::kDay>(name, args);
    if (name == "day_of_week" || name == "dow") return BindExtract<Field::kDow>(name, args);
    if (name == "day_of_year" || name == "doy") return BindExtract<Field::kDoy>(name, args);
    if (name == "week" || name == "week_of_year") return BindExtract<Field::kWeek>(name, args);
    if (name == "hour") return BindExtract<Field::kHour>(name, args);
    if (name == "minute") return BindExtract<Field::kMinute>(name, args);
    if (name == "second") return BindExtract<Field::kSecond>(name, args);
    if (name == "millisecond") return BindExtract<Field::kMilli>(name, args);
    if (name == "from_iso8601_timestamp") {
        return BindOne(name, args, FitsVarchar, "varchar(x)", FromIsoTimestampKernel,
                       DataType::Varchar(), ts);
    }
    if (name == "from_iso8601_date") {
        return BindOne(name, args, FitsVarchar, "varchar(x)", FromIsoDateKernel,
                       DataType::Varchar(), DataType::Date());
    }
    if (name == "from_unixtime") {
        return BindOne(name, args, FitsDouble, "double", FromUnixtimeKernel, DataType::Double(),
                       ts);
    }
    if (name == "to_unixtime") {
        return BindOne(name, args, FitsTimestamp, "timestamp(3)", ToUnixtimeKernel, ts,
                       DataType::Double());
    }
    if (name == "date_format") {
        if (args.size() != 2 || !FitsTimestamp(args[0]) || !FitsVarchar(args[1])) {
            return UnexpectedParameters(name, args, {"timestamp(3), varchar(x)"});
        }
        auto f = MakeFunction(name, datetime::DateFormatKernel, DataType::Varchar(),
                              {ts, DataType::Varchar()});
        const Value* format = args[1].constant;
        if (format != nullptr && !format->is_null) {
            TARN_RETURN_IF_ERROR(datetime::CheckDateFormat(format->AsString()));
            f->state = std::make_shared<bool>(true);  // tells the kernel the format is checked
        }
        return {f};
    }
    if (name == "current_timestamp" || name == "now" || name == "current_date") {
        if (!args.empty()) return UnexpectedParameters(name, args, {""});
        const bool date = name == "current_date";
        auto f = MakeFunction(name, date ? CurrentDateKernel : CurrentTimestampKernel,
                              date ? DataType::Date() : ts, {});
        f->foldable = false;
        return {f};
    }
    return {std::shared_ptr<const ScalarFunction>()};
}

}  // namespace tarn::sql
