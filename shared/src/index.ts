export * from './domain.js';
export * from './format.js';
export * from './schemas/api.js';
export * from './sla/calendar.js';
export * from './sla/events.js';
export * from './sla/policy.js';
export * from './sla/state.js';
