/** Types of generate.mjs (the build-time generator of the wasm kernels). */
/** The WAT text of the shared or unshared variant. */
export function wat(shared: boolean): string;
/** Both variants' bytes, assembled with wabt. */
export function assemble(): Promise<{ shared: Uint8Array; unshared: Uint8Array }>;
/** The text module.ts must hold. */
export function renderModule(): Promise<string>;
/** Per-thread scratch bytes. */
export const SCRATCH_BYTES: number;
/** Statements computing expf of f32x4 local `x` into local `out` (scripts/check-expf.mjs compares its two forms). */
export function expF4(x: string, out: string, locals: string[], nonPositive?: boolean): string;
