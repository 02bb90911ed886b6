// The main job. Until the example suites exist, it shows the workspace's built packages and what they export.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))
  const entry = join(root, 'packages', dir, 'dist', 'index.js')
  const exported = Object.keys(await import(entry)).sort()
  console.log(`${manifest.name}@${manifest.version}  exports: ${exported.join(', ')}`)
}
