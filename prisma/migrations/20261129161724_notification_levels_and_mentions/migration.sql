-- CreateEnum
CREATE TYPE "NotificationLevel" AS ENUM ('all', 'mentions', 'none');

-- CreateEnum
CREATE TYPE "MentionScope" AS ENUM ('here', 'all');

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "mentionedUserIds" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "mentionsEveryone" "MentionScope";

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "notificationLevel" "NotificationLevel";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "notificationLevel" "NotificationLevel" NOT NULL DEFAULT 'all',
ADD COLUMN     "notificationPreviews" BOOLEAN NOT NULL DEFAULT true;
