import { createHash, randomBytes, randomInt } from 'node:crypto';

export const newId = () => randomBytes(12).toString('base64url');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** Secrets with at least 40 bits of entropy and a short life are stored as their SHA-256. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I
/** An 8-character pairing code (40 bits), easy to read aloud and type. */
export function pairingCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}
