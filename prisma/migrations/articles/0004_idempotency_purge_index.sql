-- CreateIndex
CREATE INDEX "idempotency_record_created_at_idx" ON "articles"."idempotency_record"("created_at");

