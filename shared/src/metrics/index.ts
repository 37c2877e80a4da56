export * from './facts.js';
export * from './definitions.js';
