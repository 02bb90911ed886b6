import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import type { Baseline } from '../../src/node/baseline.js'
import type { GateReport } from '../../src/node/gate-report.js'
import { type FixtureRun, runFixture } from './run-fixture.js'

export const VITEST_CLI = fileURLToPath(
  new URL('../../../../node_modules/vitest/vitest.mjs', import.meta.url),
)

export function fixtureRoot(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url))
}

/**
 * Runs a fixture in this process with the gate's environment variables set for the run only (they are read
 * when the config loads). Each test file runs in its own worker, so no other file sees them.
 */
export async function runGated(
  name: string,
  gateEnv: Record<string, string>,
  workerEnv: Record<string, string> = {},
  config = 'vitest.config.ts',
): Promise<FixtureRun> {
  const saved = new Map(Object.keys(gateEnv).map((key) => [key, process.env[key]]))
  Object.assign(process.env, gateEnv)
  try {
    return await runFixture(name, { config, env: workerEnv })
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `node <args>` in `cwd` as a child process, as CI would run the Vitest CLI. */
export function runNode(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', NO_COLOR: '1', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: stripVTControlCharacters(stdout),
        stderr: stripVTControlCharacters(stderr),
      }),
    )
  })
}

export function readBaselineFile(path: string): Baseline {
  return JSON.parse(readFileSync(path, 'utf8')) as Baseline
}

export function readGate(
  outputDir: string,
): (Omit<GateReport, 'next' | 'path'> & { tests: GateReport['tests'] })[] {
  const path = `${outputDir}/gate.json`
  if (!existsSync(path)) throw new Error(`No gate report at ${path}`)
  return (JSON.parse(readFileSync(path, 'utf8')) as { baselines: Omit<GateReport, 'next' | 'path'>[] })
    .baselines
}
