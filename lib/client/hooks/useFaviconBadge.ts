'use client';
// The tab's icon gets a dot while unread messages wait (beside the count in the title): the
// icon is swapped for a second file with the dot drawn in (public/icons, made by
// scripts/generate-app-assets.mjs), so nothing is drawn at run time.
import { useEffect } from 'react';

export const FAVICON_URL = '/icons/favicon-32.png';
export const FAVICON_UNREAD_URL = '/icons/favicon-unread-32.png';

export function useFaviconBadge(unread: boolean): void {
  useEffect(() => {
    const href = unread ? FAVICON_UNREAD_URL : FAVICON_URL;
    const links = document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]');
    if (links.length === 0) {
      const link = document.createElement('link');
      link.rel = 'icon';
      link.type = 'image/png';
      link.href = href;
      document.head.appendChild(link);
      return;
    }
    for (const link of links) link.href = href;
  }, [unread]);
}
