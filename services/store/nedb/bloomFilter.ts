/**
 * A fixed-size Bloom filter: "certainly not here" or "maybe here" for a value, in 3 bytes per value at
 * a 0.001 % false-positive rate. Archive segments keep one per indexed field, so a lookup skips the
 * segments that cannot hold the value without loading them; every insert asks all sealed segments about
 * its `_id`, so the rate must stay tiny however many segments there are.
 */
const BITS_PER_VALUE = 24;
const HASHES = 16;

export class BloomFilter {
  private constructor(private readonly bits: Uint8Array) {}

  static forCapacity(values: number): BloomFilter {
    return new BloomFilter(new Uint8Array(Math.max(64, Math.ceil((values * BITS_PER_VALUE) / 8))));
  }

  static fromBase64(encoded: string): BloomFilter {
    return new BloomFilter(new Uint8Array(Buffer.from(encoded, 'base64')));
  }

  toBase64(): string {
    return Buffer.from(this.bits).toString('base64');
  }

  /** Hash a key once, then ask many filters (an archive asks every sealed segment). */
  static hash(key: string): KeyHash {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    return [h1, h2 | 1];
  }

  add(key: string | KeyHash): void {
    const [h1, h2] = typeof key === 'string' ? BloomFilter.hash(key) : key;
    const size = this.bits.length * 8;
    for (let i = 0; i < HASHES; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % size;
      this.bits[bit >>> 3] |= 1 << (bit & 7);
    }
  }

  mayContain(key: string | KeyHash): boolean {
    const [h1, h2] = typeof key === 'string' ? BloomFilter.hash(key) : key;
    const size = this.bits.length * 8;
    // Double hashing over two 32-bit FNV-1a variants; the first clear bit answers "not here".
    for (let i = 0; i < HASHES; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % size;
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}

export type KeyHash = readonly [number, number];
