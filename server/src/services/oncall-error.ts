/** An on-call service error: its code is the tRPC code, its message is written for people. */
export class OnCallError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}
