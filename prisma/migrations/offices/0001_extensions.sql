-- Hand-written: extensions the offices schema relies on (typo-tolerant search, nearest-office
-- queries). They live in the database, not in a schema; IF NOT EXISTS lets every subgraph ask.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
