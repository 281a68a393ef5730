-- A big partner's remittance passes a 32-bit integer's Rs 2.1 crore (2^31 - 1 paise): its sums are bigint.
ALTER TABLE "payments"."remittance"
  ALTER COLUMN "gross_paise" SET DATA TYPE BIGINT,
  ALTER COLUMN "fees_paise" SET DATA TYPE BIGINT,
  ALTER COLUMN "fee_gst_paise" SET DATA TYPE BIGINT,
  ALTER COLUMN "net_paise" SET DATA TYPE BIGINT;
