-- Offline delivery: the handhelds postmen register, and every delivery or attempt synced from one, kept
-- by the device's own id for it so a second sync changes nothing, and so an article's timeline can be
-- derived again in the order things happened when an earlier event arrives late. No OTP is kept.
-- CreateEnum
CREATE TYPE "articles"."DeliverySyncKind" AS ENUM ('DELIVERED', 'ATTEMPTED');

-- CreateEnum
CREATE TYPE "articles"."DeliverySyncStanding" AS ENUM ('APPLIED', 'REJECTED');

-- CreateTable
CREATE TABLE "articles"."delivery_device" (
    "id" TEXT NOT NULL,
    "postman_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "articles"."delivery_sync_event" (
    "device_id" TEXT NOT NULL,
    "client_event_id" TEXT NOT NULL,
    "article_number" TEXT NOT NULL,
    "kind" "articles"."DeliverySyncKind" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3),
    "reason" "articles"."NonDeliveryReason",
    "received_by" TEXT,
    "cod_collected_paise" INTEGER,
    "cod_mode" "articles"."CodCollectionMode",
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "fingerprint" CHAR(64) NOT NULL,
    "attempt" INTEGER,
    "candidate" BOOLEAN NOT NULL,
    "standing" "articles"."DeliverySyncStanding" NOT NULL,
    "code" TEXT,
    "message" TEXT,
    "sequence" INTEGER,
    "produced" INTEGER NOT NULL DEFAULT 0,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_sync_event_pkey" PRIMARY KEY ("device_id","client_event_id")
);

-- CreateIndex
CREATE INDEX "delivery_device_postman_id_idx" ON "articles"."delivery_device"("postman_id");

-- CreateIndex
CREATE INDEX "delivery_sync_event_article_number_attempt_idx" ON "articles"."delivery_sync_event"("article_number", "attempt");

-- AddForeignKey
ALTER TABLE "articles"."delivery_sync_event" ADD CONSTRAINT "delivery_sync_event_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "articles"."delivery_device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

