// What the tests share: temporary folders, the media server in a child process (so that a memory test
// measures the downloader alone), and the files the generator would make, to compare downloads with.
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type MediaKind, type MediaSizes, mediaChunks, mediaSize } from '../src/media/generate.js'

export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

/** A new empty folder under the system's temporary folder. */
export function temporaryFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `bulk-downloads-${name}-`))
}

export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true })
}

/** The ids of the catalogue's videos in file order (parsed whole: only for checking). */
export function videoIds(catalogue: string): string[] {
  const contents = JSON.parse(readFileSync(catalogue, 'utf8')) as Record<string, { kind: string }>
  return Object.keys(contents).filter((id) => contents[id]?.kind === 'Video')
}

/** SHA-256 of the file the server sends for this video and kind. */
export function expectedDigest(kind: MediaKind, id: string, sizes: MediaSizes): string {
  const hash = createHash('sha256')
  for (const chunk of mediaChunks(kind, id, mediaSize(kind, id, sizes))) hash.update(chunk)
  return hash.digest('hex')
}

export function fileDigest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** The names in a folder, sorted, the journal included. */
export function listFolder(path: string): string[] {
  return readdirSync(path).sort()
}

/** The names a complete download of these videos leaves (journal aside), sorted. */
export function expectedNames(ids: string[]): string[] {
  return ids.flatMap((id) => [`${id}.mp4`, `${id}.png`]).sort()
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  stop(): Promise<void>
}

/** The media server in its own process, started as `pnpm serve` starts it. */
export async function startServerProcess(sizes: MediaSizes): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/server/main.ts',
      '--mp4-size',
      String(sizes.mp4),
      '--png-size',
      String(sizes.png),
    ],
    { cwd: exampleRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const [url] = (await once(lines, 'line')) as [string]
  lines.close()
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill()
      await once(child, 'exit')
    },
  }
}

/** Runs the CLI as a user would (`node --import tsx src/cli.ts …`), in a child process. */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: exampleRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Runs the CLI to its end: exit code and everything it printed. */
export async function runCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}
