-- CreateIndex
CREATE INDEX "idempotency_record_created_at_idx" ON "customers"."idempotency_record"("created_at");

