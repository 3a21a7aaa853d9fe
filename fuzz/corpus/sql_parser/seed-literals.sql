-- comment
SELECT "Quoted ""Name""", 'it''s', /* block */ 1.5, .5, 1e3, 2.5E-2, DATE '2024-01-01',
  INTERVAL '1' DAY, INTERVAL '2' HOUR, current_date, current_timestamp - INTERVAL '3' MINUTE
