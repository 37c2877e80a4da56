import { sha256 } from '../crypto.js';

/** Tokens whose hash is kept; a browser sends the same token on every call. */
const MAX_TOKENS = 1000;
const hashes = new Map<string, string>();

/**
 * The SHA-256 of a bearer token, as `extension_tokens.token_hash` stores it, computed once per
 * token while it is among the last MAX_TOKENS seen (the extension's hot calls send the same
 * token thousands of times). Only the hash is a secret's stand-in here: the map lives in this
 * process's memory, where every request's token already passes. Bounded: when full it starts
 * over, so a flood of made-up tokens costs a hash each, as before, and no memory.
 */
export function tokenHash(token: string): string {
  let h = hashes.get(token);
  if (h === undefined) {
    if (hashes.size >= MAX_TOKENS) hashes.clear();
    hashes.set(token, (h = sha256(token)));
  }
  return h;
}
