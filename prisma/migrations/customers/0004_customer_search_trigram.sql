-- The customers schema's own claim on pg_trgm (offices asks too; the extension is per database, and a
-- customers-only database must not depend on the offices migrations having run).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "customers"."customer" ALTER COLUMN "phone" SET DATA TYPE VARCHAR(13);

-- CreateIndex
CREATE INDEX "customer_name_trgm_idx" ON "customers"."customer" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_business_name_trgm_idx" ON "customers"."customer" USING GIN ("business_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_email_trgm_idx" ON "customers"."customer" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_phone_trgm_idx" ON "customers"."customer" USING GIN ("phone" gin_trgm_ops);

