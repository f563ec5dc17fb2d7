/**
 * The loss-and-accuracy chart of a training run, as an SVG file: a Vega-Lite spec compiled to
 * Vega and rendered headless (vega's View with no DOM renderer, then toSVG()).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** One epoch of a run: the mean training loss and the held-out accuracy (0..1) after it. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** Where the examples write their files: packages/examples/out/ (git-ignored). */
export const OUT_DIR = fileURLToPath(new URL('../../out/', import.meta.url));

/** Writes `<OUT_DIR>/<name>.svg`: training loss and held-out accuracy per epoch, side by side; returns its path relative to the working directory. */
export async function writeTrainingChart(name: string, title: string, history: readonly EpochRecord[]): Promise<string> {
  const epochAxis = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } } as const;
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 16 },
    data: { values: history.map((r) => ({ ...r })) },
    config: { view: { stroke: 'transparent' }, axis: { labelFontSize: 12, titleFontSize: 13 } },
    hconcat: [
      {
        title: 'training loss (mean per epoch)',
        width: 320,
        height: 220,
        mark: { type: 'line', point: { color: '#d62728' }, color: '#d62728' },
        encoding: { x: epochAxis, y: { field: 'loss', type: 'quantitative', title: 'cross-entropy loss' } },
      },
      {
        title: 'held-out accuracy',
        width: 320,
        height: 220,
        mark: { type: 'line', point: { color: '#1f77b4' }, color: '#1f77b4' },
        encoding: {
          x: epochAxis,
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', axis: { format: '.1%' }, scale: { zero: false } },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(OUT_DIR, { recursive: true });
  const path = `${OUT_DIR}${name}.svg`;
  writeFileSync(path, svg);
  return relative(process.cwd(), path);
}
