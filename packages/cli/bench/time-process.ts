import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url))

/** The built `memgate` as a whole process: wall and CPU milliseconds (CPU is less moved by a loaded machine). */
export function timeMemgate(cwd: string, ...args: string[]): { wallMs: number; cpuMs: number } {
  const started = performance.now()
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  const wallMs = performance.now() - started
  if (result.status !== 0)
    throw new Error(`memgate ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  const [user = 0, system = 0] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number)
  return { wallMs: Math.round(wallMs), cpuMs: Math.round((user + system) * 1000) }
}

export const best = (values: number[]) => Math.min(...values)
export const ratio = (value: number, baseline: number) => +(value / baseline).toFixed(1)
