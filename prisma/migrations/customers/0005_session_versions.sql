-- AlterTable
ALTER TABLE "customers"."customer" ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "customers"."staff_user" ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;

