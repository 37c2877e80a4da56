export * from './facts.js';
export * from './definitions.js';
export * from './what-if.js';
export * from './glance.js';
export * from './flags.js';
export * from './digest.js';
export * from './cards.js';
export * from './rollup.js';
