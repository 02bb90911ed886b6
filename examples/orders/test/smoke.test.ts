// `pnpm smoke` (scripts/smoke.ts) as a user runs it: for each gateway variant the three services started as
// processes, every route of the README's table called once through the gateway with the status it must answer,
// the three stopped cleanly.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { VARIANTS } from '../src/variant.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = new URL('..', import.meta.url)

test('`pnpm smoke` starts the three services, calls every route of the README once, and stops them', async () => {
  const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts
  expect(scripts.smoke).toBe('tsx scripts/smoke.ts')
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/smoke.ts'], {
    cwd: root,
  })
  // The routes the README documents, as `METHOD /path` patterns (`:id` stands for any segment).
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const routes = [...readme.matchAll(/^\| `(GET|POST|DELETE) (\/[^`]*)`/gm)].map(([, method, path]) => ({
    method,
    path: new RegExp(`^${(path ?? '').replace(/:\w+/g, '[^/?]+')}$`),
  }))
  expect(routes.length).toBeGreaterThanOrEqual(8)
  const sections = stdout.split(/^(?=\w+ gateway on )/m).filter((s) => s.includes(' gateway on '))
  expect(sections.map((s) => s.split(' ')[0])).toEqual([...VARIANTS])
  for (const section of sections) {
    const calls = [...section.matchAll(/^ {2}(GET|POST|DELETE) (\S+) → (\d{3})$/gm)].map(
      ([, method, path]) => ({
        method,
        path: path ?? '',
      }),
    )
    for (const route of routes)
      expect(
        calls.some((call) => call.method === route.method && route.path.test(call.path)),
        `${route.method} ${route.path} called`,
      ).toBe(true)
    expect(section).toMatch(
      /^\w+ gateway on http:\/\/127\.0\.0\.1:\d+, in front of the products service on http:\/\/127\.0\.0\.1:\d+ and the orders service on http:\/\/127\.0\.0\.1:\d+\n/,
    )
    // Three processes, three ports.
    expect(new Set(section.match(/:\d+\b/g)).size).toBe(3)
    expect(section).toContain('  stopped the gateway, orders and products services (exit codes 0, 0, 0)\n')
  }
  expect(stdout).toMatch(
    /\nsmoke: 2 gateways, each in front of its products and orders services, 8 calls each, all as expected\n$/,
  )
})

test('`pnpm smoke` exits 1 and names the call when a route is missing from the wiring', async () => {
  const root = scratchCopy({ 'src/routes/stats.ts': 'test/fixtures/broken/src/routes/stats.ts' })
  try {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/smoke.ts'], { cwd: root })
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^smoke: {3}GET \/stats → 404, expected 200: \{/),
    })
  } finally {
    removeScratch(root)
  }
})
