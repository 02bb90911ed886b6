import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'

/** Where an isolated command keeps its HOME and its package managers' caches. */
export interface Isolation {
  /** An empty folder for HOME: no user configuration reaches the command. */
  home: string
  /** A folder for npm's and yarn's caches, kept across runs (their content is safe to share). */
  cache: string
}

/**
 * Runs a command as on a fresh machine: an empty HOME, caches of its own, no colours, and of this process's
 * environment only PATH and what reaches the registry (its certificates). Resolves its exit code and its
 * output (stdout, then stderr, without ANSI codes); never rejects.
 */
export function runIsolated(
  command: string,
  args: string[],
  cwd: string,
  { home, cache }: Isolation,
): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_cache: join(cache, 'npm'),
    YARN_CACHE_FOLDER: join(cache, 'yarn'),
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    // Set by scripts/vitest5.mjs: its Node 24 trusts the system's certificates, as Debian's Node does.
    ...(process.env.NODE_USE_SYSTEM_CA ? { NODE_USE_SYSTEM_CA: process.env.NODE_USE_SYSTEM_CA } : {}),
  }
  return new Promise((done) => {
    execFile(command, args, { cwd, env, maxBuffer: 64e6 }, (error, stdout, stderr) => {
      const output = stripVTControlCharacters(`${stdout}\n${stderr}`)
      done({ code: error ? Number(error.code ?? 1) : 0, output })
    })
  })
}
