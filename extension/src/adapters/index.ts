import { demoDesk } from './demo-desk';
import { redmine } from './redmine';
import type { Adapter } from './types';

/** Every built-in adapter; the first whose predicate accepts the URL reads the page. */
export const adapters: Adapter[] = [demoDesk, redmine];

export const adapterFor = (url: URL): Adapter | undefined =>
  adapters.find((a) => a.isTicketPage(url));
