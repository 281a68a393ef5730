-- Hand-written (Prisma cannot express partial indexes).
-- The hold limit (src/services/returns.ts) looks every 15 minutes for articles waiting at their delivery
-- office longer than MAX_HOLD_DAYS. Only a sliver of the table is ever waiting, so indexing just those
-- rows by the time of their last event keeps the scan small however many articles have been delivered.
CREATE INDEX "article_held_at_office_idx" ON "articles"."article" ("last_event_at")
  WHERE "status" IN ('AT_DELIVERY_OFFICE', 'DELIVERY_ATTEMPTED');
