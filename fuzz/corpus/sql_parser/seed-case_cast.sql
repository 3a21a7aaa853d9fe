SELECT CASE WHEN a LIKE 'x!%' ESCAPE '!' THEN 'y' WHEN a NOT LIKE '%z' THEN 'z' ELSE NULL END,
  CASE b WHEN 1 THEN TRUE ELSE FALSE END, CAST(c AS decimal(10,2)), TRY_CAST(d AS varchar(20)),
  CAST(e AS timestamp(3) with time zone), CAST(f AS double precision)
FROM t
