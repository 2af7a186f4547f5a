// The signed-in user's own profile: display name. (Avatar: ./avatars.ts; password:
// lib/auth/sessions.ts; deletion: ./deletion.ts.)
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { UserDto } from '../protocol';
import { toUserDto } from '../chat/users';

export async function updateProfile(db: Db, userId: string, input: { name: string }): Promise<UserDto> {
  const { count } = await db.user.updateMany({ where: { id: userId, isActive: true }, data: { name: input.name } });
  if (count === 0) throw new AppError('unauthorized');
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  return toUserDto(user, userId);
}
