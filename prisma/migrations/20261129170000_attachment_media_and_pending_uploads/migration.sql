-- Files done properly: image dimensions and a thumbnail key, voice waveforms, and the presigned
-- direct uploads to S3 waiting for verification (PendingUpload). Both new indexes on createdAt
-- serve the sweep of uploads never sent in a message.

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "height" INTEGER,
ADD COLUMN     "thumbnailKey" TEXT,
ADD COLUMN     "waveform" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "width" INTEGER;

-- CreateTable
CREATE TABLE "PendingUpload" (
    "id" UUID NOT NULL,
    "uploaderId" UUID NOT NULL,
    "storageKey" TEXT NOT NULL,
    "fileName" VARCHAR(255) NOT NULL,
    "mimeType" VARCHAR(127) NOT NULL,
    "size" INTEGER NOT NULL,
    "durationSec" DOUBLE PRECISION,
    "waveform" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingUpload_storageKey_key" ON "PendingUpload"("storageKey");

-- CreateIndex
CREATE INDEX "PendingUpload_uploaderId_idx" ON "PendingUpload"("uploaderId");

-- CreateIndex
CREATE INDEX "PendingUpload_createdAt_idx" ON "PendingUpload"("createdAt");

-- CreateIndex
CREATE INDEX "Attachment_createdAt_idx" ON "Attachment"("createdAt");

-- AddForeignKey
ALTER TABLE "PendingUpload" ADD CONSTRAINT "PendingUpload_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
