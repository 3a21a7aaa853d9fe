SELECT x.a, x.* FROM (SELECT a, b.c.d AS e FROM cat.db.t) AS x WHERE x.a || 'y' <> 'z' OR x.a != 'w' ORDER BY 1 OFFSET 2 ROWS LIMIT 3
