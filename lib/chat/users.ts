// Accounts: registration, sign-in by email or username, look-ups and search.
import type { Db } from '../db/open';
import type { User } from '../db/generated/client';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { hashPassword, verifyPassword } from '../auth/password';
import type { RegisterInput, UserDto, UserSummary } from '../protocol';
import { directoryVisibility } from '../admin/settings';
import { idSchema, LIMITS } from '../protocol';
import { userSummarySelect } from './dto';


export function toUserDto(user: Pick<User, 'id' | 'username' | 'name' | 'email' | 'avatarUrl'>, viewerId?: string): UserDto {
  const dto: UserDto = { id: user.id, username: user.username, name: user.name, avatarUrl: user.avatarUrl };
  if (viewerId === user.id) dto.email = user.email;
  return dto;
}

/** Creates an account. The first account on an empty server is its admin. */
export async function registerUser(db: Pick<Db, 'user' | '$executeRaw'>, input: Omit<RegisterInput, 'invite'>): Promise<UserDto> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: { email: input.email, username: input.username, name: input.name ?? input.username, passwordHash },
    });
    // Decided after the insert, against the accounts made before it (ids are time-ordered): of
    // sign-ups racing on an empty server the earliest always becomes admin, never none of them.
    await db.$executeRaw`UPDATE "User" SET "isAdmin" = true WHERE id = ${user.id}::uuid AND NOT EXISTS (SELECT 1 FROM "User" WHERE id < ${user.id}::uuid)`;
    return toUserDto(user, user.id);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const target = JSON.stringify(error.meta ?? {});
      const field = target.includes('email') ? 'email' : target.includes('username') ? 'username' : 'email or username';
      throw new AppError('conflict', `That ${field} is already taken.`);
    }
    throw error;
  }
}

/** What a typed email or username is compared as (both are stored lower-cased). */
export function normaliseIdentifier(identifier: string): string {
  return identifier.trim().toLowerCase();
}

function byIdentifier(identifier: string) {
  const key = normaliseIdentifier(identifier);
  return key.includes('@') ? { email: key } : { username: key };
}

/** The account an email or username names, active or not, or null. */
export async function findUserIdByIdentifier(db: Db, identifier: string): Promise<string | null> {
  const user = await db.user.findFirst({ where: byIdentifier(identifier), select: { id: true } });
  return user?.id ?? null;
}

/**
 * Checks a password; the same answer and cost whether the user is unknown or the password wrong.
 * The token version goes into the credential issued next (lib/auth/sessions.ts).
 */
export async function authenticate(db: Db, identifier: string, password: string): Promise<{ user: UserDto; tokenVersion: number }> {
  const user = await db.user.findFirst({ where: byIdentifier(identifier) });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok || !user.isActive) throw new AppError('invalid_credentials');
  return { user: toUserDto(user, user.id), tokenVersion: user.tokenVersion };
}

/** An active user, or null (an id that is not even a UUID names nobody). */
export async function findActiveUser(db: Db, id: string) {
  if (!idSchema.safeParse(id).success) return null;
  const user = await db.user.findUnique({ where: { id } });
  return user?.isActive ? user : null;
}

export async function getUser(db: Db, id: string, viewerId: string): Promise<UserDto> {
  const user = await findActiveUser(db, id);
  if (!user) throw new AppError('not_found');
  return toUserDto(user, viewerId);
}

/** `%`, `_` and `\` are LIKE syntax; Prisma's startsWith passes them through, so they are escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Up to 20 active users whose username or name starts with the query (case-insensitive). With
 * the directory set to `shared` (server settings), only people the viewer shares a conversation
 * with: read here, so every search of people follows it.
 */
export async function searchUsers(db: Db, query: string, viewerId: string): Promise<UserSummary[]> {
  const visibility = await directoryVisibility(db);
  const q = escapeLike(query.trim());
  return db.user.findMany({
    where: {
      isActive: true,
      id: { not: viewerId },
      ...(visibility === 'shared' ? { participations: { some: { conversation: { participants: { some: { userId: viewerId } } } } } } : {}),
      ...(q
        ? { OR: [{ username: { startsWith: q.toLowerCase() } }, { name: { startsWith: q, mode: 'insensitive' } }] }
        : {}),
    },
    select: userSummarySelect,
    orderBy: { username: 'asc' },
    take: LIMITS.userSearchResults,
  });
}

export async function touchLastSeen(db: Db, userId: string, at = new Date()): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { lastSeenAt: at } });
}
