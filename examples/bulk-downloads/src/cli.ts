// The downloader's command line: `pnpm download --catalogue contents.json --out downloads [--concurrency 4]
// [--limit 50]` (see `--help`). Exit code 0 when every video is in the folder, 1 when some failed, 2 for a
// bad command line or catalogue.
import { formatSize } from '@memgate/core'
import { readArgs, USAGE } from './args.js'
import { DownloadError } from './download/errors.js'
import { downloadFixed } from './download/fixed.js'
import { downloadNaive } from './download/naive.js'
import { createProgress } from './download/progress.js'

async function main(args: string[]): Promise<number> {
  const options = readArgs(args)
  if (options === 'help') {
    console.log(USAGE)
    return 0
  }
  const started = performance.now()
  const report = options.naive
    ? await downloadNaive(options)
    : await downloadFixed({ ...options, progress: createProgress(process.stdout) })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `downloaded ${report.downloaded} videos (${formatSize(report.bytes)}), skipped ${report.skipped}, ` +
      `failed ${report.failed.length}, retried ${report.retries} times, in ${seconds} s`,
  )
  for (const { id, error } of report.failed) console.error(`failed ${id}: ${error}`)
  return report.failed.length > 0 ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (!(error instanceof DownloadError)) throw error
    console.error(`bulk-download: ${error.message}`)
    process.exitCode = 2
  },
)
