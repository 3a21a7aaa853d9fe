SELECT a + b * c, -x, NOT y AND z OR w FROM db.t WHERE a > 1 AND b IS NOT NULL
