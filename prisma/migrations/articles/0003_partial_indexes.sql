-- Hand-written (Prisma cannot express partial indexes).
-- Customer.articles pages a customer's articles newest first. Most counter bookings name no registered
-- customer, so indexing only the rows that do keeps the index a fraction of the table.
CREATE INDEX "article_sender_customer_idx" ON "articles"."article" ("sender_customer_id", "booked_at", "article_number")
  WHERE "sender_customer_id" IS NOT NULL;
-- A partner sees only the articles it booked (Customer.articles filters on it); counter bookings have
-- no partner, so they stay out of this index.
CREATE INDEX "article_partner_idx" ON "articles"."article" ("partner_id", "booked_at", "article_number")
  WHERE "partner_id" IS NOT NULL;
