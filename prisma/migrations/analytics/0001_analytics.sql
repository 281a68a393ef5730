-- Generated: DATABASE_URL=postgresql://x@127.0.0.1/x PRISMA_SUBGRAPH=analytics npx prisma migrate diff --from-empty --to-schema-datamodel prisma/analytics/schema.prisma --script
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "analytics";

-- CreateTable
CREATE TABLE "analytics"."daily_rollup" (
    "level" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "circle_id" TEXT,
    "region_id" TEXT,
    "division_id" TEXT,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "delivered_on_time" INTEGER NOT NULL DEFAULT 0,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "revenue_paise" BIGINT NOT NULL DEFAULT 0,
    "gst_paise" BIGINT NOT NULL DEFAULT 0,
    "cod_collected_paise" BIGINT NOT NULL DEFAULT 0,
    "cod_remitted_paise" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "daily_rollup_pkey" PRIMARY KEY ("level","group_id","day")
);

-- CreateTable
CREATE TABLE "analytics"."daily_breakdown" (
    "level" TEXT NOT NULL,
    "group_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "circle_id" TEXT,
    "region_id" TEXT,
    "division_id" TEXT,
    "measure" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "daily_breakdown_pkey" PRIMARY KEY ("level","group_id","day","measure","key")
);

-- CreateTable
CREATE TABLE "analytics"."processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "analytics"."office_ref" (
    "id" TEXT NOT NULL,
    "division_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "circle_id" TEXT NOT NULL,

    CONSTRAINT "office_ref_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics"."reference_import" (
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_import_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE INDEX "daily_rollup_level_day_idx" ON "analytics"."daily_rollup"("level", "day");

-- CreateIndex
CREATE INDEX "daily_rollup_level_circle_id_day_idx" ON "analytics"."daily_rollup"("level", "circle_id", "day");

-- CreateIndex
CREATE INDEX "daily_rollup_level_region_id_day_idx" ON "analytics"."daily_rollup"("level", "region_id", "day");

-- CreateIndex
CREATE INDEX "daily_rollup_level_division_id_day_idx" ON "analytics"."daily_rollup"("level", "division_id", "day");

-- CreateIndex
CREATE INDEX "daily_breakdown_level_day_idx" ON "analytics"."daily_breakdown"("level", "day");

-- CreateIndex
CREATE INDEX "daily_breakdown_level_circle_id_day_idx" ON "analytics"."daily_breakdown"("level", "circle_id", "day");

-- CreateIndex
CREATE INDEX "daily_breakdown_level_region_id_day_idx" ON "analytics"."daily_breakdown"("level", "region_id", "day");

-- CreateIndex
CREATE INDEX "daily_breakdown_level_division_id_day_idx" ON "analytics"."daily_breakdown"("level", "division_id", "day");

-- CreateIndex
CREATE INDEX "processed_event_processed_at_idx" ON "analytics"."processed_event"("processed_at");

-- CreateIndex
CREATE INDEX "office_ref_division_id_idx" ON "analytics"."office_ref"("division_id");


-- Not expressible in Prisma: a level is one of five, and a figure never goes below zero.
ALTER TABLE "analytics"."daily_rollup" ADD CONSTRAINT "daily_rollup_level_check" CHECK (level IN ('OFFICE', 'DIVISION', 'REGION', 'CIRCLE', 'NATION'));
ALTER TABLE "analytics"."daily_rollup" ADD CONSTRAINT "daily_rollup_figures_check" CHECK (
  booked >= 0 AND delivered >= 0 AND delivered_on_time BETWEEN 0 AND delivered AND failed_attempts >= 0 AND returned >= 0
  AND revenue_paise >= 0 AND gst_paise >= 0 AND cod_collected_paise >= 0 AND cod_remitted_paise >= 0);
ALTER TABLE "analytics"."daily_breakdown" ADD CONSTRAINT "daily_breakdown_level_check" CHECK (level IN ('OFFICE', 'DIVISION', 'REGION', 'CIRCLE', 'NATION'));
ALTER TABLE "analytics"."daily_breakdown" ADD CONSTRAINT "daily_breakdown_count_check" CHECK (count >= 0 AND measure IN ('BOOKED', 'FAILED_ATTEMPT'));
