// `memgate flamegraph` on a 20,000-frame capture: the render as a whole process, reported as a ratio to a
// 200-frame capture rendered in the same run, the page's size, and its times in Chromium (best of 3 loads).
// Correctness on the same input is a test: test/e2e/flamegraph-large.test.ts.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium, openReport } from '../test/fixtures/report-page.js'
import { syntheticCapture } from '../test/fixtures/synthetic-capture.js'
import { best, ratio, timeMemgate } from './time-process.js'

const ROUNDS = 3
const dir = mkdtempSync(join(tmpdir(), 'memgate-flamegraph-bench-'))

try {
  writeFileSync(join(dir, 'small.json'), JSON.stringify(syntheticCapture(200)))
  writeFileSync(join(dir, 'large.json'), JSON.stringify(syntheticCapture(20_000)))
  const cpu = { small: [] as number[], large: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['small', 'large'] as const)
      cpu[name].push(timeMemgate(dir, 'flamegraph', `${name}.json`).cpuMs)
  }
  const html = join(dir, 'large.html')
  const browser = await launchChromium()
  try {
    const loads: number[] = []
    for (let i = 0; i < ROUNDS - 1; i++) {
      const load = await openReport(browser, html)
      loads.push(Math.round(load.readyMs))
      await load.page.close()
    }
    const { page, readyMs } = await openReport(browser, html)
    loads.push(Math.round(readyMs))
    // Interactions, timed in the page: each redraws synchronously. A string, as tsx would add its own helpers to
    // a function's code, which the page does not have.
    const timings = (await page.evaluate(`(() => {
      const time = (act) => {
        const start = performance.now()
        act()
        return Math.round(performance.now() - start)
      }
      const search = document.querySelector('#search')
      return {
        showInternals: time(() => document.querySelector('#hide-internal').click()),
        zoom: time(() =>
          document
            .querySelector('#flamegraph g.frame[data-index="1"] rect')
            .dispatchEvent(new MouseEvent('click', { bubbles: true })),
        ),
        reset: time(() => document.querySelector('#reset').click()),
        search: time(() => {
          search.value = 'handler1'
          search.dispatchEvent(new Event('input'))
        }),
      }
    })()`)) as { showInternals: number; zoom: number; reset: number; search: number }
    console.log(
      [
        `memgate flamegraph, 20,000 frames, ${ROUNDS} rounds:`,
        '',
        '| figure | value |',
        '| ------ | ----- |',
        `| CPU ms, 200 / 20,000 frames | ${cpu.small.join(', ')} / ${cpu.large.join(', ')} |`,
        `| best CPU, 20,000 frames / 200 frames | ${ratio(best(cpu.large), best(cpu.small))}× |`,
        `| HTML | ${(statSync(html).size / 1e6).toFixed(2)} MB |`,
        `| navigation start → data-ready | ${loads.join(', ')} ms |`,
        `| show internals / zoom / reset / search | ${timings.showInternals} / ${timings.zoom} / ${timings.reset} / ${timings.search} ms |`,
      ].join('\n'),
    )
  } finally {
    await browser.close()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
