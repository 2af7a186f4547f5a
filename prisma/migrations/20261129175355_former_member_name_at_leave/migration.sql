-- AlterTable
ALTER TABLE "FormerMember" ADD COLUMN     "descriptionAtLeave" VARCHAR(500),
ADD COLUMN     "nameAtLeave" VARCHAR(100);

-- Rows from before: the name and description they have now (the best there is).
UPDATE "FormerMember" f SET "nameAtLeave" = c.name, "descriptionAtLeave" = c.description
FROM "Conversation" c WHERE c.id = f."conversationId";
