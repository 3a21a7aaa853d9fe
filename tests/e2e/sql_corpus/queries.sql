-- The differential corpus of sql_duckdb.test.mjs: every query runs in `tarn sql` and in DuckDB
-- over the same events (tarn gen --seed 7), and the answers must agree.
--
-- Format: each query starts with `-- name: <id>` and ends with `;`. `{events}` stands for the
-- table: the query runs once on raw.events (NDJSON) and once on processed.events (Parquet); a
-- query without {events} runs once as written. An optional `-- duckdb:` block after the query
-- (up to its own `;`) is the DuckDB-side text, for the few functions the dialects spell or
-- define differently. Results compare order-insensitively unless the query has
-- ORDER BY -- then every ORDER BY must break ties (event_id is unique). Only SQL whose semantics
-- agree in both engines belongs here: no integer `/` (DuckDB divides as double), no
-- date_format, no concat() over NULLs (DuckDB skips NULL arguments, Trino returns NULL), no
-- split_part past the last field (Trino NULL, DuckDB ''), no 2-argument if() (DuckDB wants 3),
-- CAST(double AS bigint) rewritten (Trino rounds x.5 away from zero, DuckDB to even), explicit
-- NULLS FIRST/LAST wherever NULLs can be ordered. Lines starting `-- why:` explain rewrites.

-- name: count_all
SELECT count(*) FROM {events};

-- name: count_columns_nulls
SELECT count(*), count(referrer), count(price), count(context), count(tags) FROM {events};

-- name: filter_eq_string
SELECT count(*) FROM {events} WHERE event_type = 'purchase';

-- name: filter_ne_and_or
SELECT count(*) FROM {events} WHERE (country = 'US' OR country = 'DE') AND device <> 'mobile';

-- name: filter_not
SELECT count(*) FROM {events} WHERE NOT (event_type = 'view' OR device = 'desktop');

-- name: filter_bigint_range
SELECT count(*), min(user_id), max(user_id) FROM {events} WHERE user_id > 1000 AND user_id <= 5000;

-- name: filter_in_strings
SELECT country, count(*) FROM {events} WHERE country IN ('US', 'GB', 'FR', 'XX') GROUP BY country;

-- name: filter_not_in
SELECT count(*) FROM {events} WHERE device NOT IN ('mobile', 'tablet');

-- name: filter_in_bigints
SELECT user_id, count(*) FROM {events} WHERE user_id IN (1, 2, 3, 5, 8, 13, 21) GROUP BY user_id;

-- name: filter_between_bigint
SELECT count(*) FROM {events} WHERE user_id BETWEEN 100 AND 200;

-- name: filter_not_between
SELECT count(*) FROM {events} WHERE user_id NOT BETWEEN 10 AND 90000;

-- name: filter_between_double
SELECT count(*), sum(price) FROM {events} WHERE price BETWEEN 10 AND 50.5;

-- name: filter_between_timestamps
SELECT count(*) FROM {events}
WHERE ts BETWEEN TIMESTAMP '2026-01-01 10:00:00' AND TIMESTAMP '2026-01-01 12:30:00';

-- name: filter_timestamp_lt_literal
SELECT count(*) FROM {events} WHERE ts < TIMESTAMP '2026-01-02 00:00:00.500';

-- name: filter_is_null
SELECT count(*) FROM {events} WHERE referrer IS NULL;

-- name: filter_is_not_null
SELECT event_type, count(*) FROM {events} WHERE price IS NOT NULL GROUP BY event_type;

-- name: filter_null_comparison_drops_rows
SELECT count(*) FROM {events} WHERE referrer <> 'https://www.google.com/';

-- name: like_prefix
SELECT count(*) FROM {events} WHERE page LIKE '/products/%';

-- name: like_suffix_and_single
SELECT count(*) FROM {events} WHERE page LIKE '%/1_';

-- name: like_contains
SELECT count(*) FROM {events} WHERE referrer LIKE '%google%';

-- name: not_like
SELECT count(*) FROM {events} WHERE page NOT LIKE '/products/%' AND page NOT LIKE '/category/%';

-- name: like_escape
-- why: no page has a '_': the escaped one matches nothing, the unescaped one any character.
SELECT sum(CASE WHEN page LIKE '/products/1\_%' ESCAPE '\' THEN 1 ELSE 0 END),
       sum(CASE WHEN page LIKE '/products/1_%' THEN 1 ELSE 0 END),
       sum(CASE WHEN page LIKE '/category/%!_%' ESCAPE '!' THEN 1 ELSE 0 END)
FROM {events};

-- name: case_searched
SELECT CASE WHEN price IS NULL THEN 'none' WHEN price < 20 THEN 'low' WHEN price < 100 THEN 'mid'
            ELSE 'high' END AS band, count(*)
FROM {events} GROUP BY 1;

-- name: case_simple
SELECT CASE device WHEN 'mobile' THEN 'm' WHEN 'desktop' THEN 'd' ELSE 'other' END, count(*)
FROM {events} GROUP BY 1;

-- name: case_without_else_null
SELECT count(CASE WHEN event_type = 'purchase' THEN 1 END), count(*) FROM {events};

-- name: coalesce_referrer
SELECT coalesce(referrer, '(direct)') AS ref, count(*) FROM {events} GROUP BY 1;

-- name: coalesce_price
SELECT sum(coalesce(price, 0)), avg(coalesce(price, 0)) FROM {events};

-- name: nullif_if
SELECT count(nullif(device, 'mobile')), count(if(price > 50, price, NULL)), sum(if(device = 'mobile', 1, 0))
FROM {events};

-- name: cast_bigint_to_varchar
SELECT count(*) FROM {events} WHERE CAST(user_id AS varchar) LIKE '12%';

-- name: cast_ts_to_date
SELECT CAST(ts AS date) AS d, count(*) FROM {events} GROUP BY 1;

-- name: cast_double_to_decimal
SELECT event_id, CAST(price AS decimal(10,2)) FROM {events} WHERE price IS NOT NULL
ORDER BY event_id LIMIT 20;

-- name: cast_double_to_bigint_rounds
-- why: Trino's CAST(double AS bigint) rounds half away from zero (24.5 -> 25), DuckDB's half
-- to even (24); DuckDB's round() is half away from zero.
SELECT CAST(price AS bigint) AS p, count(*) FROM {events} WHERE price IS NOT NULL GROUP BY 1;
-- duckdb:
SELECT CAST(round(price) AS bigint) AS p, count(*) FROM {events} WHERE price IS NOT NULL GROUP BY 1;

-- name: cast_partition_key
SELECT CAST(hour AS integer) AS h, count(*) FROM {events} WHERE CAST(hour AS integer) BETWEEN 6 AND 9
GROUP BY 1;

-- name: try_cast_bad_strings
SELECT try_cast(country AS bigint) AS n, count(*) FROM {events} GROUP BY 1;

-- name: try_cast_good_strings
SELECT sum(try_cast(split_part(page, '/', 3) AS bigint)) FROM {events} WHERE page LIKE '/products/%';

-- name: arithmetic_bigint
SELECT sum(user_id * 2 + 1), sum(user_id - 7), sum(user_id % 10) FROM {events};

-- name: arithmetic_double
SELECT round(sum(price * 1.1 - 0.5), 6), max(price / 3.0), min(-price) FROM {events};

-- name: integer_division_rewrite
-- why: `/` on integers is double division in DuckDB, truncating in Trino; `//` floors, which
-- is the same for these non-negative values.
SELECT user_id / 1000 AS bucket, count(*) FROM {events} WHERE user_id < 20000 GROUP BY 1;
-- duckdb:
SELECT user_id // 1000 AS bucket, count(*) FROM {events} WHERE user_id < 20000 GROUP BY 1;

-- name: modulo_group
SELECT user_id % 7 AS r, count(*) FROM {events} GROUP BY 1;

-- name: math_functions
SELECT event_id, abs(-price), round(price), round(price, 1), floor(price), ceil(price)
FROM {events} WHERE price IS NOT NULL ORDER BY event_id LIMIT 25;

-- name: math_round_aggregate
SELECT round(avg(price), 2), round(sum(price), 2) FROM {events};

-- name: strings_lower_upper_length
SELECT lower(country), upper(device), length(page), count(*) FROM {events}
WHERE country IN ('US', 'DE') GROUP BY 1, 2, 3;

-- name: strings_substr
SELECT substr(event_id, 1, 8), substr(page, 2) FROM {events} ORDER BY event_id LIMIT 30;

-- name: strings_concat_pipe
SELECT country || '-' || device AS k, count(*) FROM {events} GROUP BY 1;

-- name: strings_concat_function_not_null
SELECT concat(country, ':', event_type), count(*) FROM {events} GROUP BY 1;

-- name: strings_pipe_null
SELECT count(referrer || page), count(*) FROM {events};

-- name: strings_trim_replace
SELECT trim(replace(page, '/', ' ')) AS p, count(*) FROM {events} WHERE page NOT LIKE '/products/%'
GROUP BY 1;

-- name: strings_split_part
SELECT split_part(page, '/', 2) AS section, count(*) FROM {events} GROUP BY 1;

-- name: strings_strpos
SELECT strpos(page, 's') AS pos, count(*) FROM {events} GROUP BY 1;

-- name: strings_referrer_host
SELECT split_part(referrer, '/', 3) AS host, count(*) FROM {events} GROUP BY 1;

-- name: date_trunc_hour
SELECT date_trunc('hour', ts) AS h, count(*) FROM {events} GROUP BY 1;

-- name: date_trunc_day
SELECT date_trunc('day', ts) AS d, count(*), count(DISTINCT user_id) FROM {events} GROUP BY 1;

-- name: date_parts
SELECT year(ts), month(ts), day(ts), hour(ts), count(*) FROM {events} GROUP BY 1, 2, 3, 4;

-- name: date_minute_second
SELECT event_id, minute(ts), second(ts) FROM {events} ORDER BY event_id LIMIT 40;

-- name: day_of_week
-- why: Trino's day_of_week is ISO (Monday 1 .. Sunday 7): DuckDB's isodow.
SELECT day_of_week(ts) AS dow, count(*) FROM {events} GROUP BY 1;
-- duckdb:
SELECT isodow(ts) AS dow, count(*) FROM {events} GROUP BY 1;

-- name: date_add_hours
-- why: DuckDB has no date_add(unit, n, ts); the same instant by interval arithmetic.
SELECT event_id, date_add('hour', 5, ts), date_add('day', -1, ts) FROM {events}
ORDER BY event_id LIMIT 20;
-- duckdb:
SELECT event_id, ts + INTERVAL 5 HOUR, ts - INTERVAL 1 DAY FROM {events}
ORDER BY event_id LIMIT 20;

-- name: date_diff_whole_units
-- why: Trino's date_diff counts whole units elapsed; DuckDB's date_diff counts boundaries
-- crossed; DuckDB's date_sub is Trino's date_diff.
SELECT date_diff('hour', TIMESTAMP '2026-01-01 00:30:00', ts) AS hours, count(*) FROM {events}
GROUP BY 1;
-- duckdb:
SELECT date_sub('hour', TIMESTAMP '2026-01-01 00:30:00', ts) AS hours, count(*) FROM {events}
GROUP BY 1;

-- name: date_diff_seconds
-- why: see date_diff_whole_units.
SELECT sum(date_diff('second', TIMESTAMP '2026-01-01 00:00:00', ts)) FROM {events};
-- duckdb:
SELECT sum(date_sub('second', TIMESTAMP '2026-01-01 00:00:00', ts)) FROM {events};

-- name: interval_literal
SELECT count(*) FROM {events} WHERE ts >= TIMESTAMP '2026-01-03 00:00:00' - INTERVAL '6' HOUR
  AND ts < TIMESTAMP '2026-01-03 00:00:00' + INTERVAL '30' MINUTE;

-- name: to_unixtime
-- why: to_unixtime is epoch() in DuckDB (both double seconds).
SELECT event_id, to_unixtime(ts) FROM {events} ORDER BY event_id LIMIT 20;
-- duckdb:
SELECT event_id, epoch(ts) FROM {events} ORDER BY event_id LIMIT 20;

-- name: from_unixtime
-- why: from_unixtime is to_timestamp() in DuckDB; both give a zoned timestamp, cast to the
-- plain (UTC) one.
SELECT CAST(from_unixtime(1767225600 + user_id) AS timestamp) AS t, count(*) FROM {events}
WHERE user_id < 50 GROUP BY 1;
-- duckdb:
SELECT CAST(to_timestamp(1767225600 + user_id) AS timestamp) AS t, count(*) FROM {events}
WHERE user_id < 50 GROUP BY 1;

-- name: from_iso8601_timestamp
-- why: a cast to TIMESTAMPTZ parses ISO 8601.
SELECT count(*) FROM {events}
WHERE ts >= CAST(from_iso8601_timestamp('2026-01-02T06:00:00Z') AS timestamp);
-- duckdb:
SELECT count(*) FROM {events}
WHERE ts >= CAST(CAST('2026-01-02T06:00:00Z' AS TIMESTAMPTZ) AS timestamp);

-- name: current_date_sane
SELECT count(*) FROM {events} WHERE current_date > DATE '2020-01-01' AND current_timestamp > ts;

-- name: date_literal_compare
SELECT count(*) FROM {events} WHERE CAST(ts AS date) = DATE '2026-01-02';

-- name: agg_all
SELECT count(*), count(DISTINCT user_id), sum(user_id), avg(user_id), min(ts), max(ts),
       min(price), max(price), min(page), max(page)
FROM {events};

-- name: agg_sum_avg_double
SELECT sum(price), avg(price), count(price) FROM {events};

-- name: agg_empty_input
SELECT count(*), sum(price), avg(price), min(ts), max(user_id) FROM {events} WHERE user_id < 0;

-- name: agg_count_distinct_many
SELECT count(DISTINCT session_id), count(DISTINCT page), count(DISTINCT referrer) FROM {events};

-- name: group_low_cardinality
SELECT event_type, count(*), count(DISTINCT user_id), sum(price) FROM {events} GROUP BY event_type;

-- name: group_two_keys
SELECT device, country, count(*) FROM {events} GROUP BY device, country;

-- name: group_high_cardinality
SELECT user_id, count(*), min(ts), max(ts) FROM {events} GROUP BY user_id;

-- name: group_session
SELECT session_id, count(*), count(DISTINCT page) FROM {events} GROUP BY 1;

-- name: group_by_null_key
SELECT referrer, count(*) FROM {events} GROUP BY referrer;

-- name: group_by_expression
SELECT lower(substr(country, 1, 1)) AS initial, count(*) FROM {events} GROUP BY lower(substr(country, 1, 1));

-- name: having_count
SELECT user_id, count(*) AS n FROM {events} GROUP BY user_id HAVING count(*) >= 40;

-- name: having_sum
SELECT country, sum(price) FROM {events} GROUP BY country HAVING sum(price) > 10000;

-- name: having_without_select_agg
SELECT device FROM {events} GROUP BY device HAVING count(DISTINCT country) > 3;

-- name: order_limit_ties_broken
SELECT user_id, count(*) AS n FROM {events} GROUP BY user_id ORDER BY n DESC, user_id LIMIT 25;

-- name: order_by_ordinal_desc
SELECT country, count(*) FROM {events} GROUP BY 1 ORDER BY 2 DESC, 1;

-- name: order_nulls_first
SELECT referrer, count(*) FROM {events} GROUP BY 1 ORDER BY 1 NULLS FIRST;

-- name: order_nulls_last_desc
SELECT referrer, count(*) FROM {events} GROUP BY 1 ORDER BY 1 DESC NULLS LAST;

-- name: order_price_nulls_last
SELECT event_id, price FROM {events} WHERE user_id < 3000 ORDER BY price ASC NULLS LAST, event_id
LIMIT 50;

-- name: order_ts_limit_offset
SELECT event_id, ts FROM {events} ORDER BY ts, event_id OFFSET 100 LIMIT 10;

-- name: order_by_expression
SELECT event_id, length(page) FROM {events} ORDER BY length(page) DESC, event_id LIMIT 15;

-- name: limit_without_order_count
SELECT count(*) FROM (SELECT event_id FROM {events} LIMIT 1234) t;

-- name: distinct_single
SELECT DISTINCT event_type FROM {events};

-- name: distinct_multi
SELECT DISTINCT device, context.os FROM {events};

-- name: distinct_with_null
SELECT DISTINCT referrer FROM {events};

-- name: subquery_from_filter
SELECT t.event_type, t.n FROM (SELECT event_type, count(*) AS n FROM {events} GROUP BY event_type) t
WHERE t.n > 1000;

-- name: subquery_from_nested
SELECT max(n), min(n), count(*) FROM (
  SELECT user_id, count(*) AS n FROM (SELECT user_id, event_type FROM {events} WHERE device = 'mobile') a
  GROUP BY user_id) b;

-- name: subquery_from_order
SELECT * FROM (SELECT country, count(*) AS n FROM {events} GROUP BY country) c ORDER BY n DESC, country
LIMIT 5;

-- name: nested_struct_field
SELECT context.os, count(*) FROM {events} GROUP BY context.os;

-- name: nested_struct_two_levels
SELECT context.screen.w, context.screen.h, count(*) FROM {events} GROUP BY 1, 2;

-- name: nested_struct_filter
SELECT count(*) FROM {events} WHERE context.screen.w >= 1024 AND context.app_version LIKE '3.%';

-- name: nested_struct_arithmetic
SELECT sum(context.screen.w * context.screen.h), max(context.screen.w) FROM {events};

-- name: partition_filter_equal
SELECT count(*), min(ts), max(ts) FROM {events} WHERE day = '02' AND hour = '03';

-- name: partition_filter_in
SELECT hour, count(*) FROM {events} WHERE day = '01' AND hour IN ('00', '12', '23') GROUP BY hour;

-- name: partition_columns_selected
SELECT year, month, day, count(*) FROM {events} GROUP BY year, month, day;

-- name: partition_filter_range_string
SELECT count(*) FROM {events} WHERE day = '03' AND hour >= '20';

-- name: partition_and_column_filter
SELECT count(*) FROM {events} WHERE day = '01' AND event_type = 'purchase' AND price > 100;

-- name: partition_agree_with_ts
SELECT count(*) FROM {events} WHERE hour(ts) <> CAST(hour AS integer) OR day(ts) <> CAST(day AS integer);

-- name: boolean_expression_output
SELECT price > 50 AS expensive, count(*) FROM {events} GROUP BY 1;

-- name: timestamp_select_order
SELECT event_id, ts, CAST(ts AS date) FROM {events} WHERE country = 'NG' ORDER BY ts DESC, event_id LIMIT 20;

-- name: raw_vs_processed_same_rows
SELECT count(*) FROM raw.events r WHERE r.event_type = 'purchase';

-- name: constant_select
SELECT 1 + 2, 'x' || 'y', CAST('12.5' AS double), CAST(3.14159 AS decimal(5,2)), abs(-4), NULL IS NULL;
