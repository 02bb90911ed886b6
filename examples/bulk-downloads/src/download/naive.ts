import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { basename, join } from 'node:path'
import type { JobOptions, JobReport } from './job.js'

/** Named moments of the naive job, for a caller that wants to look at memory then (see `inspect`). */
export type NaivePhase = 'read' | 'parsed' | 'listed' | 'downloaded'

interface Entry {
  kind?: string
  download_urls?: { mp4: string; png: string }
}

/**
 * The naive downloader, as the seed's script does it: read the catalogue as text, parse it whole, list the
 * links, then fetch every file whole into memory and write it out, one after the other. No retries, no
 * checks, no journal: the first error ends the job, and a rerun starts over.
 */
export async function downloadNaive(options: JobOptions, inspect?: (phase: NaivePhase) => void) {
  const text = await readFile(options.catalogue, 'utf8')
  inspect?.('read')
  const contents = JSON.parse(text) as Record<string, Entry>
  inspect?.('parsed')
  const mp4Links: string[] = []
  const pngLinks: string[] = []
  for (const id in contents) {
    const entry = contents[id]
    if (entry?.kind === 'Video' && entry.download_urls) {
      mp4Links.push(entry.download_urls.mp4)
      pngLinks.push(entry.download_urls.png)
    }
  }
  inspect?.('listed')
  await mkdir(options.out, { recursive: true })
  const report: JobReport = { downloaded: 0, skipped: 0, failed: [], bytes: 0, retries: 0 }
  const count = Math.min(options.limit ?? mp4Links.length, mp4Links.length)
  for (let i = 0; i < count; i++) {
    for (const url of [mp4Links[i], pngLinks[i]] as string[]) {
      const body = await getWhole(url)
      await writeFile(join(options.out, basename(new URL(url).pathname)), body)
      report.bytes += body.length
    }
    report.downloaded++
  }
  inspect?.('downloaded')
  // Like the seed's script, which keeps its `contents_str` and `contents` to the end.
  return { ...report, catalogue: { characters: text.length, entries: Object.keys(contents).length } }
}

/** The whole body in one Buffer (its chunks first, then a copy of them all). */
function getWhole(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        return reject(new Error(`GET ${url} answered ${response.statusCode}`))
      }
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve(Buffer.concat(chunks)))
      response.on('error', reject)
    }).on('error', reject)
  })
}
