/**
 * A Bloom filter of strings: `has` is false only for strings never added, and true for about 1%
 * of the others (ten bits and seven hashes per string). It answers "is this word anywhere in the
 * index?" for every word of a large knowledge base in about 1.2 bytes a word.
 */
export class Bloom {
  private readonly bits: Uint32Array;
  private readonly size: number;

  constructor(expected: number) {
    this.size = Math.max(1024, Math.ceil(expected * 10));
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  /** Seven bit positions by double hashing two 32-bit FNV-1a hashes of the string. */
  private positions(s: string): number[] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h2 = (h2 ^ (h2 >>> 15)) | 1;
    return Array.from({ length: 7 }, (_, k) => ((h1 + Math.imul(k, h2)) >>> 0) % this.size);
  }

  add(s: string): void {
    for (const p of this.positions(s)) this.bits[p >>> 5]! |= 1 << (p & 31);
  }

  has(s: string): boolean {
    return this.positions(s).every((p) => (this.bits[p >>> 5]! & (1 << (p & 31))) !== 0);
  }
}
