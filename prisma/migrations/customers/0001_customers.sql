-- Generated: DATABASE_URL=postgresql://x@127.0.0.1/x PRISMA_SUBGRAPH=customers npx prisma migrate diff --from-empty --to-schema-datamodel prisma/customers/schema.prisma --script
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "customers";

-- CreateEnum
CREATE TYPE "customers"."CustomerKind" AS ENUM ('INDIVIDUAL', 'BUSINESS');

-- CreateEnum
CREATE TYPE "customers"."PartnerStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "customers"."StaffRole" AS ENUM ('COUNTER_CLERK', 'POSTMAN', 'SUPERVISOR', 'ANALYST', 'ADMIN');

-- CreateTable
CREATE TABLE "customers"."customer" (
    "id" TEXT NOT NULL,
    "kind" "customers"."CustomerKind" NOT NULL,
    "name" TEXT NOT NULL,
    "business_name" TEXT,
    "gstin" CHAR(15),
    "email" TEXT,
    "phone" CHAR(13) NOT NULL,
    "password_hash" TEXT,
    "partner_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."address" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" CHAR(13) NOT NULL,
    "line1" TEXT NOT NULL,
    "line2" TEXT,
    "city" TEXT NOT NULL,
    "pincode" CHAR(6) NOT NULL,
    "digipin" CHAR(12),
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."partner" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "discount_basis_points" INTEGER NOT NULL,
    "cod_allowed" BOOLEAN NOT NULL,
    "remittance_account_holder" TEXT NOT NULL,
    "remittance_account_number" TEXT NOT NULL,
    "remittance_ifsc" CHAR(11) NOT NULL,
    "status" "customers"."PartnerStatus" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."api_key" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "prefix" CHAR(8) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."staff_user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "customers"."StaffRole" NOT NULL,
    "office_id" TEXT NOT NULL,
    "division_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."idempotency_record" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("principal","key")
);

-- CreateTable
CREATE TABLE "customers"."office_ref" (
    "id" TEXT NOT NULL,
    "division_id" TEXT NOT NULL,
    "pincode" CHAR(6) NOT NULL,

    CONSTRAINT "office_ref_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers"."pincode_ref" (
    "code" CHAR(6) NOT NULL,

    CONSTRAINT "pincode_ref_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "customers"."reference_import" (
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "office_count" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_import_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE INDEX "customer_partner_id_id_idx" ON "customers"."customer"("partner_id", "id");

-- CreateIndex
CREATE INDEX "address_customer_id_id_idx" ON "customers"."address"("customer_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "customers"."api_key"("prefix");

-- CreateIndex
CREATE INDEX "api_key_partner_id_idx" ON "customers"."api_key"("partner_id");

-- CreateIndex
CREATE INDEX "staff_user_office_id_idx" ON "customers"."staff_user"("office_id");

-- CreateIndex
CREATE INDEX "staff_user_division_id_idx" ON "customers"."staff_user"("division_id");

-- CreateIndex
CREATE INDEX "office_ref_division_id_idx" ON "customers"."office_ref"("division_id");

-- AddForeignKey
ALTER TABLE "customers"."customer" ADD CONSTRAINT "customer_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "customers"."partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers"."address" ADD CONSTRAINT "address_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"."customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers"."api_key" ADD CONSTRAINT "api_key_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "customers"."partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

