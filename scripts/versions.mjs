// Names the Node and Vitest a run uses, so a log says which leg it is.
import { readFileSync } from 'node:fs'

const vitest = JSON.parse(
  readFileSync(new URL('../node_modules/vitest/package.json', import.meta.url), 'utf8'),
)
console.log(`memgate: Node ${process.version}, Vitest ${vitest.version}`)
