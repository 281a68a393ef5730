-- Webhooks for partners (issue 10): endpoints, deliveries and their attempts, and the events framework's
-- record of handled events. Generated with `prisma migrate diff` from the previous schema, then the
-- partial indexes at the end, hand-written (Prisma cannot express them).
-- CreateEnum
CREATE TYPE "customers"."WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "customers"."webhook_endpoint" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[],
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "failing_since" TIMESTAMPTZ(3),
    "secret_ciphertext" TEXT NOT NULL,
    "previous_secret_ciphertext" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."webhook_delivery" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" "customers"."WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "leased_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."webhook_attempt" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "http_status" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoint_partner_id_id_idx" ON "customers"."webhook_endpoint"("partner_id", "id");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_id_idx" ON "customers"."webhook_delivery"("endpoint_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_endpoint_id_event_id_key" ON "customers"."webhook_delivery"("endpoint_id", "event_id");

-- CreateIndex
CREATE INDEX "processed_event_processed_at_idx" ON "customers"."processed_event"("processed_at");

-- CreateIndex
CREATE INDEX "webhook_attempt_delivery_id_at_idx" ON "customers"."webhook_attempt"("delivery_id", "at");

-- AddForeignKey
ALTER TABLE "customers"."webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "customers"."partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers"."webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "customers"."webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers"."webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "customers"."webhook_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written. The dispatchers' claim looks for due deliveries by time; only PENDING ones are ever due,
-- and they are few next to the delivered history, so the index holds only them.
CREATE INDEX "webhook_delivery_due_idx" ON "customers"."webhook_delivery" ("next_attempt_at") WHERE "status" = 'PENDING';
-- "Is this endpoint already being sent to?" (at most one send in flight per endpoint): only leased rows.
CREATE INDEX "webhook_delivery_leased_idx" ON "customers"."webhook_delivery" ("endpoint_id", "leased_until") WHERE "leased_until" IS NOT NULL;
