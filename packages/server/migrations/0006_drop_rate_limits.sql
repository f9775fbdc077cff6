-- Rate-limit counters live in process memory or Redis: never a database write per request.
DROP TABLE IF EXISTS rate_limits;
