// Who may create an account: anyone while registration is open, only holders of a valid server
// invite while it is invite-only, nobody while it is closed. An empty server always takes its
// first account (who becomes its admin), whatever the mode says.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { RegisterInput, UserDto } from '../protocol';
import { registerUser } from '../chat/users';
import { publicServerInfo } from '../admin/settings';
import { spendServerInvite } from '../admin/invites';

async function isEmptyServer(db: Db): Promise<boolean> {
  return (await db.user.count({ take: 1 })) === 0;
}

export async function registerAccount(db: Db, input: RegisterInput): Promise<UserDto> {
  const { registrationMode } = await publicServerInfo(db);
  if (registrationMode === 'open' || (await isEmptyServer(db))) return registerUser(db, input);
  if (registrationMode === 'closed') throw new AppError('forbidden', 'Registration on this server is closed.');
  // Invite-only: the use is spent with the account, so a failed sign-up (a taken name) keeps it.
  return db.$transaction(async (tx) => {
    await spendServerInvite(tx, input.invite);
    return registerUser(tx, input);
  });
}

/**
 * What the sign-up page shows: the server's name, and why there is no form (null: show it). With
 * an invite code the form shows; the server checks the code when the form is sent.
 */
export async function signUpPage(db: Db, invite: string | undefined): Promise<{ serverName: string; refusal: string | null }> {
  const { name, registrationMode } = await publicServerInfo(db);
  if (registrationMode === 'open' || (registrationMode === 'invite-only' && invite) || (await isEmptyServer(db))) {
    return { serverName: name, refusal: null };
  }
  return {
    serverName: name,
    refusal:
      registrationMode === 'closed'
        ? `${name} is not taking new accounts. Ask an admin if you need one.`
        : `${name} takes new accounts by invite only. Open the invite link an admin gave you.`,
  };
}
