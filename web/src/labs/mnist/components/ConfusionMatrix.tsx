import { memo } from 'preact/compat';
// 10x10 confusion matrix: rows true digit, columns predicted. Correct counts
// in blue by share of their row, mistakes in orange by the largest mistake
// count (blue/orange stays readable with colour-vision deficiency).
// The cell is painted opaque (the colour seen over the panel) so its count can
// be written in black or white, whichever keeps 4.5:1 contrast in the theme.
import { MNIST_CLASSES } from '../asset-format.js';
import type { Theme } from '../../../state/config';
import { css, NEGATIVE, over, panelColor, POSITIVE, textOn } from '../../../components/palette';

function cellStyle(count: number, rowTotal: number, maxWrong: number, diagonal: boolean, theme: Theme) {
  if (count === 0) return undefined;
  const t = diagonal ? (rowTotal > 0 ? count / rowTotal : 0) : maxWrong > 0 ? Math.sqrt(count / maxWrong) : 0;
  const bg = over(diagonal ? POSITIVE : NEGATIVE, 0.15 + 0.85 * t, panelColor(theme));
  return { background: css(bg), color: textOn(bg) };
}

export const ConfusionMatrix = memo(function ConfusionMatrix({ confusion, theme }: { confusion: Int32Array; theme: Theme }) {
  let maxWrong = 0;
  const rowTotals: number[] = [];
  for (let t = 0; t < MNIST_CLASSES; t++) {
    let sum = 0;
    for (let p = 0; p < MNIST_CLASSES; p++) {
      const v = confusion[t * MNIST_CLASSES + p]!;
      sum += v;
      if (p !== t) maxWrong = Math.max(maxWrong, v);
    }
    rowTotals.push(sum);
  }
  const digits = Array.from({ length: MNIST_CLASSES }, (_, i) => i);
  return (
    <figure class="mn-confusion">
      <table data-testid="confusion-matrix">
        <caption>Confusion matrix on the 10,000 test digits: rows are the true digit, columns the prediction.</caption>
        <thead>
          <tr><th scope="col" class="mn-corner">true ↓ pred →</th>{digits.map((p) => <th key={p} scope="col">{p}</th>)}</tr>
        </thead>
        <tbody>
          {digits.map((t) => (
            <tr key={t}>
              <th scope="row">{t}</th>
              {digits.map((p) => {
                const v = confusion[t * MNIST_CLASSES + p]!;
                return <td key={p} style={cellStyle(v, rowTotals[t]!, maxWrong, p === t, theme)} title={`true ${t}, predicted ${p}: ${v}`}>{v}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
});

export const ClassAccuracy = memo(function ClassAccuracy({ confusion }: { confusion: Int32Array }) {
  return (
    <ol class="mn-class-acc" aria-label="accuracy per digit" data-testid="class-accuracy">
      {Array.from({ length: MNIST_CLASSES }, (_, t) => {
        let total = 0;
        for (let p = 0; p < MNIST_CLASSES; p++) total += confusion[t * MNIST_CLASSES + p]!;
        const acc = total > 0 ? confusion[t * MNIST_CLASSES + t]! / total : 0;
        return (
          <li key={t}>
            <span class="mn-digit">{t}</span>
            <span class="mn-bar"><i style={{ width: `${(acc * 100).toFixed(1)}%` }} /></span>
            <span class="mn-p">{(acc * 100).toFixed(1)}%</span>
          </li>
        );
      })}
    </ol>
  );
});
