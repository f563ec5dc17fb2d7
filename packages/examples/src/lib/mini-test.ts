/**
 * A tiny describe / it collector and runner, for running the backend test kit outside a test
 * framework (the custom-backend example in Node, the kit page in a browser).
 */
import type { TestContext, TestFramework } from '@kindling/core/testing';

/** What a run of collected tests gives: counts, and each failure as `name: message`. */
export interface MiniTestResult {
  passed: number;
  failed: number;
  /** Tests that marked themselves skipped (the kit's cases not supported yet); never counted as passed. */
  skipped: number;
  failures: string[];
}

/** Collects the tests that `register` declares through describe / it, then runs them one by one. */
export async function runCollected(register: (framework: TestFramework) => void): Promise<MiniTestResult> {
  const tests: { name: string; body: (ctx: TestContext) => void | Promise<void> }[] = [];
  const prefix: string[] = [];
  register({
    describe: (name, body) => {
      prefix.push(name);
      body();
      prefix.pop();
    },
    it: (name, body) => tests.push({ name: [...prefix, name].join(' > '), body }),
  });
  const result: MiniTestResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const t of tests) {
    let skipped = false;
    try {
      await t.body({ skip: () => void (skipped = true) });
      if (skipped) result.skipped++;
      else result.passed++;
    } catch (e) {
      result.failed++;
      result.failures.push(`${t.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return result;
}
