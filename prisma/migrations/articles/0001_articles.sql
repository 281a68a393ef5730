-- Generated: DATABASE_URL=postgresql://x@127.0.0.1/x PRISMA_SUBGRAPH=articles npx prisma migrate diff --from-empty --to-schema-datamodel prisma/articles/schema.prisma --script
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "articles";

-- CreateEnum
CREATE TYPE "articles"."Product" AS ENUM ('SPEED_POST_DOCUMENT', 'SPEED_POST_PARCEL', 'REGISTERED', 'BUSINESS_PARCEL');

-- CreateEnum
CREATE TYPE "articles"."ArticleStatus" AS ENUM ('AWAITING_PAYMENT', 'BOOKED', 'BAGGED', 'IN_TRANSIT', 'AT_DELIVERY_OFFICE', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'DELIVERED', 'RETURNED_TO_SENDER', 'RETURN_DELIVERED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "articles"."TrackingEventType" AS ENUM ('BOOKED', 'PAYMENT_RECEIVED', 'BAGGED', 'BAG_DISPATCHED', 'RECEIVED_AT_SORTING', 'DISPATCHED_FROM_SORTING', 'ARRIVED_AT_DELIVERY_OFFICE', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'DELIVERED', 'RETURNED_TO_SENDER', 'CANCELLED');

-- CreateEnum
CREATE TYPE "articles"."NonDeliveryReason" AS ENUM ('ADDRESSEE_ABSENT', 'PREMISES_LOCKED', 'ADDRESS_INCOMPLETE', 'ADDRESSEE_CANNOT_BE_LOCATED', 'NO_SUCH_ADDRESSEE', 'ADDRESSEE_MOVED', 'ADDRESSEE_DECEASED', 'REFUSED', 'OTP_NOT_PROVIDED', 'COD_AMOUNT_NOT_PAID', 'UNCLAIMED', 'SENDER_REQUEST');

-- CreateEnum
CREATE TYPE "articles"."DistanceBand" AS ENUM ('LOCAL', 'UPTO_200_KM', 'KM_201_500', 'KM_501_1000', 'KM_1001_2000', 'ABOVE_2000_KM');

-- CreateEnum
CREATE TYPE "articles"."BookingChannel" AS ENUM ('COUNTER', 'PARTNER');

-- CreateEnum
CREATE TYPE "articles"."PaymentMode" AS ENUM ('CASH', 'ACCOUNT', 'LATER');

-- CreateEnum
CREATE TYPE "articles"."PaymentStatus" AS ENUM ('PAID', 'ON_ACCOUNT', 'PENDING');

-- CreateTable
CREATE TABLE "articles"."article" (
    "article_number" CHAR(13) NOT NULL,
    "product" "articles"."Product" NOT NULL,
    "status" "articles"."ArticleStatus" NOT NULL,
    "channel" "articles"."BookingChannel" NOT NULL,
    "booking_office_id" TEXT NOT NULL,
    "current_office_id" TEXT,
    "origin_pincode" CHAR(6) NOT NULL,
    "destination_pincode" CHAR(6) NOT NULL,
    "weight_grams" INTEGER NOT NULL,
    "chargeable_weight_grams" INTEGER NOT NULL,
    "length_cm" DOUBLE PRECISION,
    "width_cm" DOUBLE PRECISION,
    "height_cm" DOUBLE PRECISION,
    "declared_value_paise" INTEGER,
    "cod_amount_paise" INTEGER,
    "band" "articles"."DistanceBand" NOT NULL,
    "distance_km" DOUBLE PRECISION,
    "charges" JSONB NOT NULL,
    "total_paise" INTEGER NOT NULL,
    "expected_delivery_date" DATE NOT NULL,
    "payment_mode" "articles"."PaymentMode" NOT NULL,
    "payment_status" "articles"."PaymentStatus" NOT NULL,
    "sender_customer_id" TEXT,
    "sender" JSONB,
    "recipient" JSONB NOT NULL,
    "partner_id" TEXT,
    "booked_by" TEXT NOT NULL,
    "booked_at" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL,
    "last_event_at" TIMESTAMPTZ(3),

    CONSTRAINT "article_pkey" PRIMARY KEY ("article_number")
);

-- CreateTable
CREATE TABLE "articles"."tracking_event" (
    "article_number" CHAR(13) NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" "articles"."TrackingEventType" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "office_id" TEXT,
    "next_office_id" TEXT,
    "reason" "articles"."NonDeliveryReason",
    "status_after" "articles"."ArticleStatus" NOT NULL,
    "recorded_by" TEXT NOT NULL,

    CONSTRAINT "tracking_event_pkey" PRIMARY KEY ("article_number","sequence")
);

-- CreateTable
CREATE TABLE "articles"."idempotency_record" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("principal","key")
);

-- CreateTable
CREATE TABLE "articles"."pincode_ref" (
    "code" CHAR(6) NOT NULL,
    "district" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,

    CONSTRAINT "pincode_ref_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "articles"."office_ref" (
    "id" TEXT NOT NULL,
    "pincode" CHAR(6) NOT NULL,
    "division_id" TEXT NOT NULL,

    CONSTRAINT "office_ref_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "articles"."reference_import" (
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_import_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE INDEX "article_booking_office_id_booked_at_article_number_idx" ON "articles"."article"("booking_office_id", "booked_at", "article_number");

-- CreateIndex
CREATE INDEX "office_ref_pincode_id_idx" ON "articles"."office_ref"("pincode", "id");

-- CreateIndex
CREATE INDEX "office_ref_division_id_idx" ON "articles"."office_ref"("division_id");

-- AddForeignKey
ALTER TABLE "articles"."tracking_event" ADD CONSTRAINT "tracking_event_article_number_fkey" FOREIGN KEY ("article_number") REFERENCES "articles"."article"("article_number") ON DELETE CASCADE ON UPDATE CASCADE;

