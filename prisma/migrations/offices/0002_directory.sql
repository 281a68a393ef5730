-- Generated: prisma migrate diff --from-empty --to-schema-datamodel prisma/offices/schema.prisma --script
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "offices";

-- CreateEnum
CREATE TYPE "offices"."OfficeType" AS ENUM ('HEAD_OFFICE', 'SUB_OFFICE', 'BRANCH_OFFICE');

-- CreateTable
CREATE TABLE "offices"."circle" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "region_count" INTEGER NOT NULL,
    "division_count" INTEGER NOT NULL,

    CONSTRAINT "circle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offices"."region" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "circle_id" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "division_count" INTEGER NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offices"."division" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "circle_id" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,

    CONSTRAINT "division_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offices"."pincode" (
    "code" CHAR(6) NOT NULL,
    "district" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "circle_id" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "digipin" CHAR(12),
    "office_count" INTEGER NOT NULL,

    CONSTRAINT "pincode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "offices"."office" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pincode" CHAR(6) NOT NULL,
    "office_type" "offices"."OfficeType",
    "circle_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "division_id" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "taluk" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "digipin" CHAR(12),

    CONSTRAINT "office_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offices"."import_run" (
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE UNIQUE INDEX "circle_name_key" ON "offices"."circle"("name");

-- CreateIndex
CREATE INDEX "region_circle_id_idx" ON "offices"."region"("circle_id");

-- CreateIndex
CREATE INDEX "division_region_id_idx" ON "offices"."division"("region_id");

-- CreateIndex
CREATE INDEX "division_circle_id_idx" ON "offices"."division"("circle_id");

-- CreateIndex
CREATE INDEX "pincode_district_idx" ON "offices"."pincode"("district");

-- CreateIndex
CREATE INDEX "office_pincode_idx" ON "offices"."office"("pincode");

-- CreateIndex
CREATE INDEX "office_circle_id_id_idx" ON "offices"."office"("circle_id", "id");

-- CreateIndex
CREATE INDEX "office_region_id_id_idx" ON "offices"."office"("region_id", "id");

-- CreateIndex
CREATE INDEX "office_division_id_id_idx" ON "offices"."office"("division_id", "id");

-- CreateIndex
CREATE INDEX "office_district_idx" ON "offices"."office"("district");

-- CreateIndex
CREATE INDEX "office_state_idx" ON "offices"."office"("state");

-- CreateIndex
CREATE INDEX "office_name_trgm_idx" ON "offices"."office" USING GIN ("name" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "offices"."region" ADD CONSTRAINT "region_circle_id_fkey" FOREIGN KEY ("circle_id") REFERENCES "offices"."circle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."division" ADD CONSTRAINT "division_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "offices"."region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."division" ADD CONSTRAINT "division_circle_id_fkey" FOREIGN KEY ("circle_id") REFERENCES "offices"."circle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."office" ADD CONSTRAINT "office_circle_id_fkey" FOREIGN KEY ("circle_id") REFERENCES "offices"."circle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."office" ADD CONSTRAINT "office_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "offices"."region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."office" ADD CONSTRAINT "office_division_id_fkey" FOREIGN KEY ("division_id") REFERENCES "offices"."division"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offices"."office" ADD CONSTRAINT "office_pincode_fkey" FOREIGN KEY ("pincode") REFERENCES "offices"."pincode"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

