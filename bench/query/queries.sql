-- bench/query: ClickBench-style single-table queries over processed.events (Hive-partitioned
-- Parquet, year=/month=/day=/hour=). One query per line; both engines run the same text.
SELECT count(*) FROM processed.events
SELECT count(*) FROM processed.events WHERE event_type = 'purchase'
SELECT sum(price), avg(price), min(price), max(price) FROM processed.events
SELECT event_type, count(*) AS n FROM processed.events GROUP BY event_type ORDER BY n DESC
SELECT count(DISTINCT user_id) FROM processed.events
SELECT country, count(DISTINCT user_id) AS users FROM processed.events GROUP BY country ORDER BY users DESC, country LIMIT 10
SELECT user_id, count(*) AS n FROM processed.events GROUP BY user_id ORDER BY n DESC, user_id LIMIT 10
SELECT session_id, count(*) AS n FROM processed.events GROUP BY session_id ORDER BY n DESC, session_id LIMIT 10
SELECT page, count(*) AS n FROM processed.events WHERE page LIKE '/products/%' GROUP BY page ORDER BY n DESC, page LIMIT 10
SELECT count(*) FROM processed.events WHERE page LIKE '%checkout%'
SELECT date_trunc('hour', ts) AS h, count(*) AS n FROM processed.events GROUP BY 1 ORDER BY 1 LIMIT 24
SELECT device, context.os, count(*) AS n FROM processed.events GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 10
SELECT count(*) FROM processed.events WHERE referrer IS NULL AND country IN ('DE', 'FR', 'GB')
SELECT hour, count(*) AS n FROM processed.events WHERE day = '02' GROUP BY hour ORDER BY hour
SELECT country, sum(price) AS revenue FROM processed.events WHERE event_type = 'purchase' AND price > 100 GROUP BY country ORDER BY revenue DESC, country LIMIT 5
SELECT event_id, user_id, ts FROM processed.events ORDER BY ts DESC, event_id LIMIT 10
SELECT user_id, max(ts) AS last_seen, count(*) AS n FROM processed.events WHERE event_type IN ('login', 'signup') GROUP BY user_id ORDER BY n DESC, user_id LIMIT 10
