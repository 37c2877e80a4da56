export * from './facts.js';
export * from './definitions.js';
export * from './glance.js';
