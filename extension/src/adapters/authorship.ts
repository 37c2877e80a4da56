// The rule lives in shared/, so the server's pollers decide authorship exactly as pages do.
export { customerRule } from '@deskwatch/shared';
