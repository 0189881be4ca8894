/** axe-core in a real page: the WCAG 2.1 A/AA rules, and the violations a keyboard or screen-reader user is blocked by. */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// Evaluated, not added as a <script>: the pages' Content-Security-Policy rightly refuses inline scripts.
const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every serious or critical WCAG 2.x A/AA violation on the page as it is now (`exclude`: a part that is not ours, like Web Chat). */
export async function seriousViolations(page: Page, exclude?: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    return axe.run(context ? { exclude: [[context]] } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  }, exclude ?? null);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ rule: violation.id, impact: violation.impact ?? '', help: violation.help, targets: violation.nodes.map((node) => node.target.map(String).join(' ')) }));
}
