export type { AppRouter } from './routers/index.js';
export type { EscalationView } from './services/escalations.js';
export type { TicketBadge, TicketView, TicketWithSla } from './services/tickets.js';
export type { AlertView } from './services/alerts.js';
export { startServer } from './server.js';
export { readEnv } from './env.js';
export { DEMO_PASSWORD, DEMO_USERS, DEMO_TICKETS } from './seed.js';
export type { Suggestion, SnippetPart } from './kb/suggest.js';
export type { KbMarks } from './kb/index.js';
