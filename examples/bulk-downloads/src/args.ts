import { parseArgs } from 'node:util'
import { UsageError } from './download/errors.js'
import type { FixedJobOptions } from './download/job.js'

export const USAGE = `Usage: bulk-download --catalogue <contents.json> --out <folder> [options]

Downloads the MP4 and PNG of every video in the catalogue into the folder, resuming where an earlier run
stopped.

Options:
  --catalogue <path>   the contents.json catalogue (required)
  --out <folder>       where the files go, created if missing (required)
  --concurrency <n>    videos downloaded at once (default 4)
  --limit <n>          only the first n videos of the catalogue
  --attempts <n>       tries per file for transient failures (default 4)
  --naive              use the naive downloader (whole files in memory, no retries, no journal)
  --help               this text`

export interface CliOptions extends FixedJobOptions {
  naive: boolean
}

/** The command line as job options; throws {@link UsageError} naming the bad argument. */
export function readArgs(args: string[]): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        catalogue: { type: 'string' },
        out: { type: 'string' },
        concurrency: { type: 'string' },
        limit: { type: 'string' },
        attempts: { type: 'string' },
        naive: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`)
  }
  if (values.help) return 'help'
  const required = (name: string) => {
    const value = values[name]
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.\n\n${USAGE}`)
    return value
  }
  const count = (name: string) => {
    const value = values[name]
    if (value === undefined) return undefined
    const number = Number(value)
    if (typeof value !== 'string' || !/^\d+$/.test(value) || number < 1) {
      throw new UsageError(`--${name} must be a whole number of 1 or more, got ${JSON.stringify(value)}.`)
    }
    return number
  }
  const options: CliOptions = {
    catalogue: required('catalogue'),
    out: required('out'),
    naive: values.naive === true,
  }
  const concurrency = count('concurrency')
  const limit = count('limit')
  const attempts = count('attempts')
  if (concurrency !== undefined) options.concurrency = concurrency
  if (limit !== undefined) options.limit = limit
  if (attempts !== undefined) options.attempts = attempts
  return options
}
