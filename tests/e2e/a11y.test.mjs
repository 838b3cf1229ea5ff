// Accessibility (issue 15 §4): axe-core finds no violation on any lab — the
// full page in both themes and embed=1, after load and after
// some training (trained pages show more: numbers, charts, matrices) — the
// text alternatives of the playground's pictures state the numbers shown now,
// and the playground can be trained from the keyboard alone.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, waitFor, readNumber, expectNoAxeViolations } from './lib/index.mjs';

const fx = playgroundFixture();

/** Each lab's train button, and a number it shows that grows as it trains
 * (how far to train before the "trained" scan: charts and numbers present). */
const LABS = [
  { id: 'playground', play: 'play', progress: 'epoch', enough: 2 },
  { id: 'mnist', play: 'mnist-train', progress: 'mnist-steps', enough: 20, afterTraining: drawDigitByKeyboard },
  { id: 'sequence', play: 'play', progress: 'epoch', enough: 0.01 },
  { id: 'gan', play: 'play', progress: 'iteration', enough: 20 },
  { id: 'digits', play: 'play', progress: 'iteration', enough: 3 },
];

/** Opens `query`, waits for the lab's engine (its train button enabled). */
async function open(query, play) {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(fx.server.url + query);
  await waitFor(() => page.getByTestId(play).first().isEnabled(), (v) => v, { timeoutMs: 60_000, what: `${query}: the engine` });
  return { page, close: () => context.close() };
}

/** Trains until the lab's `progress` number reaches `enough`, then pauses
 * (what is shown then stays put for the scan). */
async function trainAWhile(page, { play, progress, enough }) {
  const button = page.getByTestId(play).first();
  await button.click({ timeout: 60_000 });
  await waitFor(() => readNumber(page, progress), (v) => v >= enough, { timeoutMs: 60_000, what: `${progress} ≥ ${enough}` });
  await button.click();
  await waitFor(() => button.getAttribute('aria-pressed'), (v) => v === 'false', { what: 'training to pause' });
  await page.waitForTimeout(200); // the last snapshot and the charts' next frame
}

/** MNIST's pad from the keyboard: pen down, a vertical stroke, and the pad's
 *  text alternative names the prediction the page shows. */
async function drawDigitByKeyboard(page) {
  const pad = page.getByTestId('digit-canvas');
  await pad.focus();
  assert.match(await pad.getAttribute('aria-label'), /: empty\./);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
  // The stroke is classified as it grows: read the prediction and the label
  // together until the last classification has reached both.
  const { label } = await waitFor(async () => ({
    predicted: await page.getByTestId('digit-prediction').textContent(),
    label: await pad.getAttribute('aria-label'),
  }), (v) => /^\d$/.test(v.predicted) && v.label.includes(`classified as ${v.predicted} (`),
  { timeoutMs: 60_000, what: 'the pad\'s label to name the prediction shown' });
  assert.match(label, /Pen down/);
  await page.keyboard.press('Delete');
  await waitFor(() => pad.getAttribute('aria-label'), (t) => /: empty\./.test(t), { what: 'the pad cleared by Delete' });
}

// The labs are independent pages: two at a time, one waits while the other scans.
describe('axe-core: no violations on any lab', { concurrency: 2 }, () => {
  for (const lab of LABS) {
    const { id, play, afterTraining } = lab;
    test(`${id}: page and embed, light and dark, trained`, async () => {
      // Three scans a lab (the test command's time is short): the full page
      // trained, light and dark, and the embed trained in dark. Trained is
      // loaded plus the charts and numbers (the same controls, enabled), and a
      // theme changes colours only, so each theme is seen with everything
      // training shows.
      const full = await open(`?lab=${id}&theme=light`, play);
      try {
        const { page } = full;
        await trainAWhile(page, lab);
        await expectNoAxeViolations(page, `${id}, light, trained`);
        await page.getByTestId('theme-toggle').click();
        await expectNoAxeViolations(page, `${id}, dark, trained`);
        await afterTraining?.(page);
      } finally {
        await full.close();
      }
      const dark = await open(`?lab=${id}&embed=1&theme=dark`, play);
      try {
        await trainAWhile(dark.page, lab);
        await expectNoAxeViolations(dark.page, `${id}, embed=1, dark, trained`);
      } finally {
        await dark.close();
      }
    });
  }
});

test('keyboard only: Tab to Play, Space trains; the map, chart and network say the numbers shown; a weight is reached from its neuron', async () => {
  const { page, close } = await open('?lab=playground&theme=light', 'play');
  try {
    let tabs = 0;
    while (await page.evaluate(() => document.activeElement?.getAttribute('data-testid')) !== 'play') {
      assert.ok(++tabs <= 40, 'Play is reached with Tab');
      await page.keyboard.press('Tab');
    }
    // The focus ring: the theme's 2 px outline on the focused control.
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      const st = getComputedStyle(el);
      return { visible: el.matches(':focus-visible'), style: st.outlineStyle, width: parseFloat(st.outlineWidth) };
    });
    assert.ok(ring.visible && ring.style !== 'none' && ring.width >= 2, `a visible focus ring on Play: ${JSON.stringify(ring)}`);
    await page.keyboard.press('Space');
    await waitFor(() => readNumber(page, 'epoch'), (e) => e >= 3, { what: 'three epochs trained from the keyboard' });
    await page.keyboard.press('Space');
    const play = page.getByTestId('play');
    await waitFor(() => play.getAttribute('aria-pressed'), (v) => v === 'false', { what: 'Space on Play to pause' });
    // The last snapshot has landed when the epoch shown holds still.
    const epoch = await waitFor(async () => {
      const a = await readNumber(page, 'epoch');
      await page.waitForTimeout(300);
      return a === await readNumber(page, 'epoch') ? a : -1;
    }, (e) => e >= 3, { what: 'the epoch to hold still' });
    const accuracy = (await page.getByTestId('test-accuracy').textContent()).trim();
    const trainLoss = (await page.getByTestId('train-loss').textContent()).trim();
    const mapLabel = await page.getByTestId('dataset-canvas').getAttribute('aria-label');
    assert.ok(mapLabel.includes(`test accuracy ${accuracy} %`) && mapLabel.includes(`train loss ${trainLoss} after ${epoch} epochs`),
      `the output map's label states the run bar's numbers (accuracy ${accuracy}, train loss ${trainLoss}, epoch ${epoch}): ${mapLabel}`);
    const chartLabel = await waitFor(() => page.locator('[data-testid="loss-chart-plot"] canvas').getAttribute('aria-label'),
      (t) => t?.includes(`epoch ${epoch}:`), { what: `the chart's label at epoch ${epoch}` });
    assert.match(chartLabel, new RegExp(`train loss [0-9.]+.*test loss [0-9.]+.*test accuracy ${accuracy.replace('.', '\\.')} %`),
      `the chart's label has the latest values: ${chartLabel}`);
    const netLabel = await page.getByTestId('network-canvas').getAttribute('aria-label');
    assert.match(netLabel, /hidden layers .* weights and biases from -?[0-9.e-]+ to -?[0-9.e-]+/, `the network's label: ${netLabel}`);
    // A weight from the keyboard: a neuron's button opens its bias, whose
    // editor lists the weights into it; picking one edits that weight.
    await page.getByRole('button', { name: 'bias of output 1' }).focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('dialog');
    assert.equal(await editor.getAttribute('aria-label'), 'bias of output 1');
    await page.getByRole('group', { name: "this neuron's weights and bias" }).getByRole('button').first().focus();
    await page.keyboard.press('Enter');
    await waitFor(() => editor.getAttribute('aria-label'), (t) => /^weight .* → output 1$/.test(t ?? ''), { what: 'the editor to show a weight into output 1' });
    await waitFor(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), (id) => id === 'param-input',
      { timeoutMs: 5000, what: 'the weight\'s value to have the focus' });
  } finally {
    await close();
  }
});
