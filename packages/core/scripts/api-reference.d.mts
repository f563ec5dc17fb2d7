/** Types of api-reference.mjs (the API reference generator), for the test that runs its check. */

/** One public API item: an export, a namespace member or a public class member. */
export interface ApiItem {
  display: string;
  scope: 'core' | 'testing' | 'workers';
  kind: string;
  group: string | null;
  signature: string[];
  summary: string;
  notes: string[];
  location: string;
  internal: boolean;
  static?: boolean;
}

/** The repository root. */
export const repoRoot: string;
/** Where the reference is written, relative to the repository root. */
export const outputPath: string;
/** Every public API item, documented or not. */
export function collectApi(root?: string): ApiItem[];
/** Items whose TSDoc summary is missing, as "name (file:line)". */
export function missingDocs(items?: ApiItem[]): string[];
/** The Markdown of docs/API.md. */
export function renderApiReference(items?: ApiItem[]): string;
/** Whether docs/API.md differs from a fresh render, and the undocumented items. */
export function checkApiReference(root?: string): { stale: boolean; missing: string[]; expected: string };
/** The first sentence of a TSDoc summary. */
export function firstSentence(text: string): string;
