import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import type { AxeResults, Result } from 'axe-core'

/*
 * The accessibility gate: axe-core injected into the page (through the DevTools protocol, so
 * the app's Content-Security-Policy stays on), run over the whole screen; any violation of
 * serious or critical impact fails the test. `label-content-name-mismatch` (a visible label
 * that the accessible name does not contain) is still marked experimental in axe, so it is
 * switched on by name.
 */

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source

export interface AxeViolation {
  id: string
  impact: string
  help: string
  targets: string[]
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window)
  if (!loaded) await page.evaluate(axeSource)
  const results = await page.evaluate(
    () =>
      (
        window as unknown as {
          axe: { run(context: Document, options: object): Promise<AxeResults> }
        }
      ).axe.run(document, {
        rules: { 'label-content-name-mismatch': { enabled: true } },
        resultTypes: ['violations'],
      }) as Promise<AxeResults>,
  )
  return results.violations
    .filter((v: Result) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: Result) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }))
}

/** Fails with every serious or critical violation named, and where it is. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page)
  if (violations.length === 0) return
  throw new Error(
    `axe found ${violations.length} serious or critical problem(s) on ${where}:\n` +
      violations
        .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    at ${v.targets.join('\n    at ')}`)
        .join('\n'),
  )
}
