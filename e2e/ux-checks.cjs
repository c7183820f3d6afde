/** Checks of what a person sees: axe-core violations and sideways scrolling. */
const fs = require('node:fs');
// Evaluated through DevTools (not a <script> tag), so the dashboard's CSP stays as shipped.
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.x A/AA + best practices) on the page; counts violations by impact. */
async function axeCounts(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  // A toast still fading in is measured half-transparent (false contrast failures): let finite animations end.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), null, { timeout: 5_000 })
    .catch(() => undefined);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: String(v.nodes[0]?.target ?? '') }));
  });
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0, rules: [], others: [] };
  for (const v of violations) {
    counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes;
    if (v.impact === 'critical' || v.impact === 'serious') counts.rules.push(`${v.id} ×${v.nodes} (${v.target})`);
    else counts.others.push(v.id);
  }
  return counts;
}

/** null when nothing scrolls sideways; otherwise the document width and the elements sticking out. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const scrollers = [document.documentElement, ...document.querySelectorAll('mat-sidenav-content, .cdk-overlay-pane, mat-dialog-content')];
    const wide = scrollers.filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden');
    if (!wide.length) return null;
    const out = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > vw + 1 && !el.closest('.sx-table-scroll, [data-scroll-x]'))
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}→${Math.round(el.getBoundingClientRect().right)}px`);
    return `${wide.map((el) => `${el.tagName.toLowerCase()} ${el.scrollWidth}>${el.clientWidth}`).join(', ')}; ${out.join(', ')}`;
  });
}

/** SSE keeps the network busy, so "settled" means: no loading bar or spinner left on the page. */
async function settle(page) {
  await page
    .waitForFunction(() => !document.querySelector('sx-load-state mat-progress-bar, main mat-progress-bar'), null, { timeout: 15_000 })
    .catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
}

module.exports = { axeCounts, horizontalOverflow, settle };
