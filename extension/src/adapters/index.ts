import { chatwoot } from './chatwoot';
import { demoDesk } from './demo-desk';
import { freshdesk } from './freshdesk';
import { freshservice } from './freshservice';
import { github } from './github';
import { gitlab } from './gitlab';
import { helpScout } from './help-scout';
import { hiver } from './hiver';
import { jiraServiceManagement } from './jira-service-management';
import { redmine } from './redmine';
import { servicedeskPlus } from './servicedesk-plus';
import { servicenow } from './servicenow';
import type { Adapter } from './types';
import { zammad } from './zammad';
import { zendesk } from './zendesk';

/** Every built-in adapter. Their URL predicates never overlap (the meta-test crosses them). */
export const adapters: Adapter[] = [
  demoDesk,
  zendesk,
  freshdesk,
  freshservice,
  jiraServiceManagement,
  servicenow,
  servicedeskPlus,
  hiver,
  helpScout,
  github,
  gitlab,
  zammad,
  chatwoot,
  redmine,
];

/** The first adapter whose predicate accepts the URL reads the page: the workspace's taught ones first, then the built-in ones. */
export const adapterFor = (url: URL, taught: readonly Adapter[] = []): Adapter | undefined =>
  taught.find((a) => a.isTicketPage(url)) ?? adapters.find((a) => a.isTicketPage(url));

/** The adapter whose ticket lists include this URL. */
export const listAdapterFor = (url: URL, taught: readonly Adapter[] = []): Adapter | undefined =>
  [...taught, ...adapters].find((a) => a.isListPage?.(url));
