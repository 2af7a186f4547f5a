// Who may create an account: anyone while registration is open, only holders of a valid server
// invite while it is invite-only, nobody while it is closed. An empty server always takes its
// first account (who becomes its admin), whatever the mode says.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { RegisterInput, UserDto } from '../protocol';
import { registerUser } from '../chat/users';
import { readServerSettings } from '../admin/settings';
import { spendServerInvite } from '../admin/invites';

export async function registerAccount(db: Db, input: RegisterInput): Promise<UserDto> {
  const { registrationMode } = await readServerSettings(db);
  const empty = (await db.user.count({ take: 1 })) === 0;
  if (empty || registrationMode === 'open') return registerUser(db, input);
  if (registrationMode === 'closed') throw new AppError('forbidden', 'Registration on this server is closed.');
  // Invite-only: the use is spent with the account, so a failed sign-up (a taken name) keeps it.
  return db.$transaction(async (tx) => {
    await spendServerInvite(tx, input.invite);
    return registerUser(tx, input);
  });
}
