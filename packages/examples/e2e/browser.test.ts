/**
 * End to end in real headless Chromium (Debian's `chromium`, driven by playwright-core): the demo
 * page and the in-page backend test kit, served cross-origin isolated and then without the
 * headers. Without chromium the suite skips with a clear message locally and fails under CI.
 * KINDLING_CHROMIUM overrides the browser path.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serve } from './serve.js';

const executablePath = process.env['KINDLING_CHROMIUM'] ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const root = new URL('../dist-web/', import.meta.url).pathname;
const expectedWalkthrough = readFileSync(new URL('../expected/autograd-basics.txt', import.meta.url), 'utf8').trimEnd().split('\n');

if (executablePath === undefined) {
  if (process.env['CI'] === 'true') throw new Error('CI needs chromium for the browser tests (apt-get install chromium)');
  describe('browser (skipped: no chromium found; apt-get install chromium, or set KINDLING_CHROMIUM)', () => {
    it.skip('needs chromium', () => {});
  });
} else {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  async function open(isolated: boolean, path: string): Promise<{ page: Page; warnings: string[]; errors: string[]; close: () => Promise<void> }> {
    const server = await serve(root, isolated);
    const page = await browser.newPage({ viewport: { width: 1040, height: 1200 } });
    const warnings: string[] = [], errors: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/${path}`);
    return { page, warnings, errors, close: async () => { await page.close(); await server.close(); } };
  }

  describe('cross-origin isolated page', () => {
    it('is isolated, shows the walkthrough text, trains, and workers equal cpu bitwise', async () => {
      const { page, errors, warnings, close } = await open(true, 'index.html');
      try {
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
        expect(await page.evaluate(() => window.kindlingDemo.isolated)).toBe(true);
        expect(await page.evaluate(() => window.kindlingDemo.walkthrough().join("\n").split("\n"))).toEqual(expectedWalkthrough);
        expect((await page.textContent('#walkthrough'))!.split('\n')).toEqual(expectedWalkthrough);
        const cpu = await page.evaluate(() => window.kindlingDemo.train('cpu', 60, false));
        const workers = await page.evaluate(() => window.kindlingDemo.train('workers', 60, true));
        expect(workers.losses.at(-1)!).toBeLessThan(workers.losses[0]! * 0.8);
        expect(workers.losses).toEqual(cpu.losses);
        expect(workers.params).toEqual(cpu.params);
        const rows = await page.evaluate(() => window.kindlingDemo.measureSpeedup());
        expect(rows.map((r) => r.workload)).toEqual(['exp (elementwise)', 'sum (reduction)']);
        // Saved for a person to look at: the chart and the text must be legible.
        mkdirSync(new URL('../dist-web-shots/', import.meta.url), { recursive: true });
        await page.screenshot({ path: new URL('../dist-web-shots/demo.png', import.meta.url).pathname, fullPage: true });
        expect(errors).toEqual([]);
        expect(warnings.filter((w) => w.includes('not cross-origin isolated'))).toEqual([]);
      } finally {
        await close();
      }
    });

    for (const threads of [2, 3]) {
      it(`the backend test kit passes inside the page on ${threads} comlink workers`, async () => {
        const { page, close } = await open(true, `kit.html?threads=${threads}`);
        try {
          const r = await page.evaluate(() => window.kindlingKit);
          console.log(`browser kit, ${threads} workers: ${r.passed} passed, ${r.failed} failed (${r.skipped} not supported yet)`);
          expect(r.failures).toEqual([]);
          expect(r.passed).toBeGreaterThan(700);
          expect(await page.textContent('#out')).toMatch(new RegExp(`^${r.passed} passed, 0 failed`));
        } finally {
          await close();
        }
      });
    }

    it('a worker killed mid-kernel rejects that read with the op name, and the pool recovers', async () => {
      const { page, close } = await open(true, 'kit.html?threads=2&kit=off');
      try {
        const r = await page.evaluate(() => window.kindlingFault());
        expect(r.error).toMatch(/unary exp/);
        expect(r.error).toMatch(/died/);
        expect(r.recovered).toBe(true);
      } finally {
        await close();
      }
    });

    it('the main thread never blocks: a sync read of a pool result throws naming the async form until awaited', async () => {
      const { page, close } = await open(true, 'kit.html?threads=2&kit=off');
      try {
        const r = await page.evaluate(() => window.kindlingSyncRule());
        expect(r.before).toMatch(/cannot wait.*itemAsync/);
        expect(r.after).toBe(2 * ((1 << 16) * ((1 << 16) - 1)) / 2);
      } finally {
        await close();
      }
    });
  });

  describe('page served without the isolation headers', () => {
    it('warns once, falls back to the cpu kernels, and gives correct results', async () => {
      const { page, warnings, errors, close } = await open(false, 'index.html');
      try {
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
        expect(warnings.filter((w) => w.includes('not cross-origin isolated'))).toHaveLength(1);
        expect(await page.evaluate(() => window.kindlingDemo.walkthrough().join("\n").split("\n"))).toEqual(expectedWalkthrough);
        const cpu = await page.evaluate(() => window.kindlingDemo.train('cpu', 30, false));
        const workers = await page.evaluate(() => window.kindlingDemo.train('workers', 30, false));
        expect(workers.params).toEqual(cpu.params);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  });
}
