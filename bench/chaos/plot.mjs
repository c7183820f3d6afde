// Renders a chaos run's lateness over time with its faults marked: vega-lite → vega → SVG (headless,
// renderer 'none'), then sharp → PNG. ESM because vega is ESM-only with top-level await.
//   node bench/chaos/plot.mjs <plot-data.json> <out.png>
import { readFileSync, writeFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import sharp from 'sharp';

const [input, output] = process.argv.slice(2);
const { title, points, faults } = JSON.parse(readFileSync(input, 'utf8'));
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  width: 1100,
  height: 420,
  background: 'white',
  layer: [
    {
      data: { values: points },
      mark: { type: 'point', filled: true, size: 30, opacity: 0.75 },
      encoding: {
        x: { field: 'due', type: 'quantitative', title: 'due time (s since the first post)' },
        y: { field: 'lateness', type: 'quantitative', title: 'lateness (s): first delivery − due; lost plotted at −5', scale: { type: 'symlog' } },
        color: { field: 'verdict', type: 'nominal', title: 'post', scale: { scheme: 'category10' } },
        shape: { field: 'account', type: 'nominal', title: 'account' },
      },
    },
    {
      data: { values: faults },
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { x: { field: 'at', type: 'quantitative' }, color: { field: 'fault', type: 'nominal', title: 'fault', scale: { scheme: 'dark2' } } },
    },
    {
      data: { values: faults },
      mark: { type: 'text', angle: 270, align: 'left', dx: 4, dy: -4, fontSize: 9 },
      encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: 4 }, text: { field: 'label' } },
    },
  ],
  resolve: { scale: { color: 'independent' } },
};
const svg = await new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' }).toSVG();
writeFileSync(output.replace(/\.png$/, '.svg'), svg);
await sharp(Buffer.from(svg)).png().toFile(output);
console.log(output);
