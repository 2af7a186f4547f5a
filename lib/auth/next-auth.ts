// next-auth (v4) for browsers: a credentials provider and JWT sessions. The session JWT carries
// the user id as `sub`; everything else about the user is read fresh from the database.
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { AppContext } from '../context';
import { authenticate } from '../chat/users';
import { AppError } from '../errors';

export function buildAuthOptions(ctx: AppContext): AuthOptions {
  return {
    secret: ctx.config.authSecret,
    session: { strategy: 'jwt', maxAge: ctx.config.tokenTtlSeconds },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Password',
        credentials: { identifier: { label: 'Email or username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const identifier = credentials?.identifier ?? '';
          const password = credentials?.password ?? '';
          if (!identifier || !password || identifier.length > 254 || password.length > 256) return null;
          try {
            const user = await authenticate(ctx.db, identifier, password);
            return { id: user.id, name: user.name, email: user.email ?? null, username: user.username };
          } catch (error) {
            if (error instanceof AppError && error.code === 'invalid_credentials') return null;
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.username = (user as { username?: string }).username;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub, username: token.username } as typeof session;
      },
    },
    logger: {
      error: (code, metadata) => ctx.logger.error({ code, metadata }, 'next-auth error'),
      warn: (code) => ctx.logger.warn({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}
