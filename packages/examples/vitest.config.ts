import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every kernel goes through the worker pool in the workers runs; the machine may be loaded.
    testTimeout: 60_000,
  },
});
