// Writes a catalogue: `pnpm catalogue --out contents.json [--base-url http://127.0.0.1:8737] [--videos 2500]
// [--others 1500] [--seed 1]`. The same options always give the same file.
import { parseArgs } from 'node:util'
import { formatSize } from '@memgate/core'
import { writeCatalogue } from './generate.js'

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'contents.json' },
    'base-url': { type: 'string', default: 'http://127.0.0.1:8737' },
    videos: { type: 'string', default: '2500' },
    others: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '1' },
  },
})
const whole = (name: 'videos' | 'others' | 'seed') => {
  const value = Number(values[name])
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, got ${JSON.stringify(values[name])}`)
    process.exit(2)
  }
  return value
}
const written = await writeCatalogue(values.out, {
  baseUrl: values['base-url'].replace(/\/$/, ''),
  videos: whole('videos'),
  others: whole('others'),
  seed: whole('seed'),
})
console.log(
  `${written.path}: ${written.entries} entries, ${written.videos} videos, ${formatSize(written.bytes)}`,
)
