import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';

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

/**
 * The key that seals connectors' secrets at rest, from the server's configuration
 * (`CONNECTOR_SECRET_KEY`): any string of at least 32 characters, stretched with SHA-256.
 */
export function sealingKey(configured: string): Buffer {
  if (configured.length < 32)
    throw new Error('CONNECTOR_SECRET_KEY must be at least 32 characters');
  return createHash('sha256').update(configured).digest();
}

/** Encrypts a secret (AES-256-GCM, random nonce): `v1.<nonce>.<tag>.<ciphertext>`, base64url. */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv, c.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Decrypts what `seal` made with the same key; throws when it was altered or the key differs. */
export function unseal(key: Buffer, sealed: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}
