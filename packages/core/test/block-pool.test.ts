import { describe, expect, it } from 'vitest';
import { BlockPool, SLAB_LIMIT, sizeClass } from '../src/index.js';

describe('BlockPool', () => {
  it('size classes: powers of two up to 4 KiB, then quarter steps (at most 25% waste)', () => {
    expect(sizeClass(1)).toBe(64);
    expect(sizeClass(65)).toBe(128);
    expect(sizeClass(4096)).toBe(4096);
    expect(sizeClass(4097)).toBe(5120);
    for (const n of [5000, 70_000, 1_000_000, 64 * 2 ** 20 + 1]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(c).toBeLessThanOrEqual(n * 1.25 + 64);
    }
  });

  it('reuses a released block of the same class, and carves small blocks from slabs', () => {
    let created = 0;
    const pool = new BlockPool<ArrayBuffer>(2 ** 30, (bytes) => { created += bytes; return new ArrayBuffer(bytes); });
    const big = pool.acquire(SLAB_LIMIT * 4);
    pool.release(big);
    expect(pool.acquire(SLAB_LIMIT * 4 - 100)).toBe(big);
    expect(pool.stats.reused).toBe(1);
    const a = pool.acquire(100), b = pool.acquire(100);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.bytes);
    expect(created).toBe(SLAB_LIMIT * 4 + 4 * 2 ** 20);
  });

  it('keeps at most maxCachedBytes of large free blocks', () => {
    const pool = new BlockPool<ArrayBuffer>(SLAB_LIMIT, (bytes) => new ArrayBuffer(bytes));
    const x = pool.acquire(SLAB_LIMIT), y = pool.acquire(SLAB_LIMIT);
    pool.release(x);
    pool.release(y); // over the cap: dropped for the GC
    expect(pool.stats.cachedBytes).toBe(SLAB_LIMIT);
    expect(pool.acquire(SLAB_LIMIT)).toBe(x);
    expect(pool.acquire(SLAB_LIMIT)).not.toBe(y);
  });
});
