-- Generated: DATABASE_URL=postgresql://x@127.0.0.1/x PRISMA_SUBGRAPH=payments npx prisma migrate diff --from-empty --to-schema-datamodel prisma/payments/schema.prisma --script
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "payments";

-- CreateEnum
CREATE TYPE "payments"."PaymentPurpose" AS ENUM ('BOOKING', 'COD_COLLECTION', 'REFUND');

-- CreateEnum
CREATE TYPE "payments"."PaymentMethod" AS ENUM ('UPI_QR', 'CASH');

-- CreateEnum
CREATE TYPE "payments"."PaymentStatus" AS ENUM ('CREATED', 'PAID', 'EXPIRED', 'FAILED', 'REFUNDED');

-- CreateEnum
CREATE TYPE "payments"."RemittanceStatus" AS ENUM ('CREATED', 'PAID');

-- CreateTable
CREATE TABLE "payments"."payment" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "purpose" "payments"."PaymentPurpose" NOT NULL,
    "method" "payments"."PaymentMethod" NOT NULL,
    "status" "payments"."PaymentStatus" NOT NULL,
    "article_number" CHAR(13) NOT NULL,
    "amount_paise" INTEGER NOT NULL,
    "taxable_paise" INTEGER NOT NULL,
    "gst_paise" INTEGER NOT NULL,
    "office_id" TEXT,
    "partner_id" TEXT,
    "created_by" TEXT NOT NULL,
    "payer_vpa" TEXT,
    "provider_transaction_id" TEXT,
    "upi_link" TEXT,
    "refund_of" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."psp_callback" (
    "webhook_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount_paise" INTEGER NOT NULL,
    "provider_transaction_id" TEXT,
    "payer_vpa" TEXT,
    "outcome" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "psp_callback_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateTable
CREATE TABLE "payments"."ledger_transaction" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "article_number" CHAR(13),
    "payment_id" TEXT,
    "remittance_id" TEXT,
    "description" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "transaction_id" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "amount_paise" BIGINT NOT NULL,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."cod_collection" (
    "article_number" CHAR(13) NOT NULL,
    "payment_id" TEXT NOT NULL,
    "partner_id" TEXT,
    "office_id" TEXT,
    "amount_paise" INTEGER NOT NULL,
    "fee_paise" INTEGER NOT NULL,
    "fee_gst_paise" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "remittance_id" TEXT,

    CONSTRAINT "cod_collection_pkey" PRIMARY KEY ("article_number")
);

-- CreateTable
CREATE TABLE "payments"."remittance" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "article_count" INTEGER NOT NULL,
    "gross_paise" INTEGER NOT NULL,
    "fees_paise" INTEGER NOT NULL,
    "fee_gst_paise" INTEGER NOT NULL,
    "net_paise" INTEGER NOT NULL,
    "status" "payments"."RemittanceStatus" NOT NULL,
    "bank_reference" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "remittance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."article_fact" (
    "article_number" CHAR(13) NOT NULL,
    "partner_id" TEXT,
    "office_id" TEXT,
    "status" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "awaited_payment" BOOLEAN NOT NULL DEFAULT false,
    "charge_paise" INTEGER,
    "paid_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_fact_pkey" PRIMARY KEY ("article_number")
);

-- CreateTable
CREATE TABLE "payments"."idempotency_record" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("principal","key")
);

-- CreateTable
CREATE TABLE "payments"."outbox_event" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "claimed_until" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "payments"."office_ref" (
    "id" TEXT NOT NULL,
    "division_id" TEXT NOT NULL,

    CONSTRAINT "office_ref_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."reference_import" (
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_import_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_reference_key" ON "payments"."payment"("reference");

-- CreateIndex
CREATE INDEX "payment_article_number_idx" ON "payments"."payment"("article_number");

-- CreateIndex
CREATE INDEX "payment_partner_id_created_at_idx" ON "payments"."payment"("partner_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_status_expires_at_idx" ON "payments"."payment"("status", "expires_at");

-- CreateIndex
CREATE INDEX "psp_callback_reference_idx" ON "payments"."psp_callback"("reference");

-- CreateIndex
CREATE INDEX "ledger_transaction_occurred_at_idx" ON "payments"."ledger_transaction"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_kind_source_key_key" ON "payments"."ledger_transaction"("kind", "source_key");

-- CreateIndex
CREATE INDEX "ledger_entry_transaction_id_idx" ON "payments"."ledger_entry"("transaction_id");

-- CreateIndex
CREATE INDEX "ledger_entry_account_idx" ON "payments"."ledger_entry"("account");

-- CreateIndex
CREATE UNIQUE INDEX "cod_collection_payment_id_key" ON "payments"."cod_collection"("payment_id");

-- CreateIndex
CREATE INDEX "cod_collection_partner_id_collected_at_idx" ON "payments"."cod_collection"("partner_id", "collected_at");

-- CreateIndex
CREATE INDEX "cod_collection_remittance_id_idx" ON "payments"."cod_collection"("remittance_id");

-- CreateIndex
CREATE INDEX "remittance_partner_id_created_at_idx" ON "payments"."remittance"("partner_id", "created_at");

-- CreateIndex
CREATE INDEX "article_fact_paid_at_idx" ON "payments"."article_fact"("paid_at");

-- CreateIndex
CREATE INDEX "idempotency_record_created_at_idx" ON "payments"."idempotency_record"("created_at");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_idx" ON "payments"."outbox_event"("published_at");

-- CreateIndex
CREATE INDEX "processed_event_processed_at_idx" ON "payments"."processed_event"("processed_at");

-- CreateIndex
CREATE INDEX "office_ref_division_id_idx" ON "payments"."office_ref"("division_id");

-- AddForeignKey
ALTER TABLE "payments"."ledger_entry" ADD CONSTRAINT "ledger_entry_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "payments"."ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments"."cod_collection" ADD CONSTRAINT "cod_collection_remittance_id_fkey" FOREIGN KEY ("remittance_id") REFERENCES "payments"."remittance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

