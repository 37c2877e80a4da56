export * from './read-date.js';
export * from './read-relative.js';
export * from './read-checked.js';
