import { demoDesk } from './demo-desk';
import { redmine } from './redmine';
import type { Adapter } from './types';

/** Every built-in adapter. */
export const adapters: Adapter[] = [demoDesk, redmine];

/** The first adapter whose predicate accepts the URL reads the page: the workspace's taught ones first, then the built-in ones. */
export const adapterFor = (url: URL, taught: readonly Adapter[] = []): Adapter | undefined =>
  taught.find((a) => a.isTicketPage(url)) ?? adapters.find((a) => a.isTicketPage(url));
