-- A provider transaction pays one payment: a callback naming it again changes nothing, and the same QR
-- paid twice (two provider transactions) becomes two payments, the second refunded.
CREATE UNIQUE INDEX "payment_provider_transaction_key" ON "payments"."payment"("provider_transaction_id") WHERE "provider_transaction_id" IS NOT NULL;
