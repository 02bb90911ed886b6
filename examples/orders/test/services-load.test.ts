// `pnpm load --services` and `scripts/drive.ts --services` as a user runs them, briefly: each starts the three
// services (the gateway in front of products and orders, each its own process, for the load test; the gateway in
// the script's own process, where `memgate run` watches it, for drive.ts), drives the gateway, and stops them.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const root = new URL('..', import.meta.url)
const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  })

test('`pnpm load --services` drives each gateway in front of its own products and orders services', async () => {
  const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts
  expect(scripts.load).toBe('node --import tsx bench/load-test.ts')
  const { stdout } = await run([
    'bench/load-test.ts',
    '--services',
    '--phases',
    '1',
    '--requests',
    '140',
    '--warm-up',
    '70',
    '--connections',
    '2',
    '--no-write',
  ])
  for (const variant of ['leaky', 'fixed'])
    expect(stdout).toContain(
      `${variant} gateway in front of its products and orders services, three processes`,
    )
  const phases = [
    ...stdout.matchAll(
      /^phase 1 (leaky|fixed) served +(\d+) .* sessions (\d+) +non-2xx (\d+) +errors (\d+)$/gm,
    ),
  ]
  expect(phases.map(([, variant]) => variant).sort()).toEqual(['fixed', 'leaky'])
  for (const [, variant, served, sessions, non2xx, errors] of phases) {
    expect(Number(served)).toBe(210)
    expect({ non2xx, errors }).toEqual({ non2xx: '0', errors: '0' })
    // The sessions are the gateway's: the leaky one keeps one per request it did not answer from its cache.
    if (variant === 'fixed') expect(sessions).toBe('0')
    else expect(Number(sessions)).toBeGreaterThan(100)
  }
})

test('`scripts/drive.ts --services` drives the gateway service in its own process', async () => {
  const fixed = await run(['scripts/drive.ts', '--services', '--rounds', '20'])
  expect(fixed.stdout).toBe(
    'fixed gateway (three services): 140 requests; 0 sessions and 21 cached responses held at the end\n',
  )
  const leaky = await run(['scripts/drive.ts', '--services', '--rounds', '20'], { ORDERS_VARIANT: 'leaky' })
  expect(leaky.stdout).toMatch(/^leaky gateway \(three services\): 140 requests; 140 sessions and \d+ cached/)
})
