// next-auth (v4) for browsers: a credentials provider and JWT sessions. The session JWT carries
// the user id as `sub`, the user's token version (`ver`) and the session's own id (`sid`);
// everything else about the user is read fresh from the database. The sign-in budget is spent in
// front of next-auth (lib/auth/credentials-limit.ts), where a spent budget can answer 429.
import type { AuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { AppContext } from '../context';
import type { UserDto } from '../protocol';
import { authenticate } from '../chat/users';
import { isAppError } from '../errors';
import { credentialOf, newSessionId } from './tokens';
import { endSession } from './sessions';
import { unsubscribeSession } from '../push/subscriptions';

type SignedInUser = { id: string; name: string; email: string | null; username: string; tokenVersion: number };

/** The claims of a new browser session, as next-auth's callbacks below make them. */
export function browserSessionClaims(user: Pick<UserDto, 'id' | 'name' | 'username'> & { email?: string | null }, tokenVersion: number): JWT {
  return { sub: user.id, name: user.name, email: user.email ?? null, username: user.username, ver: tokenVersion, sid: newSessionId() };
}

export function buildAuthOptions(ctx: AppContext): AuthOptions {
  return {
    secret: ctx.config.authSecret,
    session: { strategy: 'jwt', maxAge: ctx.config.tokenTtlSeconds },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Password',
        credentials: { identifier: { label: 'Email or username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials): Promise<SignedInUser | null> {
          const identifier = credentials?.identifier ?? '';
          const password = credentials?.password ?? '';
          if (!identifier || !password || identifier.length > 254 || password.length > 256) return null;
          try {
            const { user, tokenVersion } = await authenticate(ctx.db, identifier, password);
            return { id: user.id, name: user.name, email: user.email ?? null, username: user.username, tokenVersion };
          } catch (error) {
            if (isAppError(error) && error.code === 'invalid_credentials') return null;
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        // `user` is there only at sign-in: a new session, with its own id.
        if (user) return { ...token, ...browserSessionClaims(user as SignedInUser, (user as SignedInUser).tokenVersion) };
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub, username: token.username } as typeof session;
      },
    },
    events: {
      // next-auth's JWT sessions are stateless: clearing the cookie would leave any copy of it
      // valid for its whole life. Ending the session on the server makes every copy useless.
      async signOut({ token }) {
        const credential = credentialOf(token);
        if (!credential) return;
        const ended = await endSession(ctx.db, credential);
        if (ended === 'none') return;
        // This browser hears no more pushes (a push goes only while its session counts anyway).
        if (credential.sessionId) await unsubscribeSession(ctx.db, credential.userId, credential.sessionId);
        await ctx.notifier.signedOut(credential.userId, ended === 'session' ? (credential.sessionId ?? undefined) : undefined);
      },
    },
    logger: {
      error: (code, metadata) => ctx.logger.error({ code, metadata }, 'next-auth error'),
      warn: (code) => ctx.logger.warn({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}
