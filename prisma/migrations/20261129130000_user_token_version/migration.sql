-- Revocable sessions: every session and bearer token carries the user's token version (bumped by
-- "sign out everywhere" and a password change); browser sessions signed out one by one are
-- remembered by id until the next bump. Existing tokens carry no version and count as 0.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "signedOutSessionIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 0;
