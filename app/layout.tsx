import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from './providers';

// Every page is rendered per request, the not-found page too: each needs its own CSP nonce on its
// scripts (lib/http/security-headers.ts), which a page prerendered at build time cannot have.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Parley',
  description: 'Self-hosted real-time team chat',
  // public/: made by scripts/generate-app-assets.mjs. The chat screen swaps the icon for the one
  // with an unread dot (lib/client/hooks/useFaviconBadge.ts).
  manifest: '/manifest.webmanifest',
  icons: {
    icon: [{ url: '/icons/favicon-32.png', sizes: '32x32', type: 'image/png' }],
    apple: [{ url: '/icons/apple-touch-icon.png', sizes: '180x180' }],
  },
  appleWebApp: { capable: true, title: 'Parley', statusBarStyle: 'default' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1220' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="h-full bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
