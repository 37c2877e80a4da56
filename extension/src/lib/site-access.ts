import { originPattern } from './api';
import { ask } from './messages';

/**
 * Asks the browser for access to one site and turns the overlay on there. Must run in a user's
 * click (popup or options page): that is when the browser allows the permission prompt.
 */
export async function enableOnSite(url: string): Promise<string[]> {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new Error('Deskwatch works on http and https pages only');
  const origins = [originPattern(u.href)];
  if (
    !(await browser.permissions.contains({ origins })) &&
    !(await browser.permissions.request({ origins }))
  ) {
    throw new Error(`Access to ${u.host} was not granted`);
  }
  return ask({ type: 'enableSite', url: u.href });
}
