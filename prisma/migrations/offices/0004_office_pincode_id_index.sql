-- A pincode's page of offices (`pincode { offices(first: 5) }`) is "WHERE pincode = $1 ORDER BY id LIMIT n".
-- With only an index on (pincode) PostgreSQL chose to walk the primary key in id order and filter, reading
-- up to all 154,874 offices (EXPLAIN ANALYZE: 18-35 ms, 3,000-4,700 buffers, for 5 rows). On (pincode, id)
-- the page is a few index entries. It also serves every lookup the (pincode) index served, so that goes.
CREATE INDEX "office_pincode_id_idx" ON "offices"."office"("pincode", "id");
DROP INDEX "offices"."office_pincode_idx";
