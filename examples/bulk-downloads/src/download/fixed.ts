import { mkdir, opendir, rename, rm } from 'node:fs/promises'
import { Agent } from 'node:http'
import { join } from 'node:path'
import { streamVideos } from '../catalogue/stream.js'
import type { Video } from '../catalogue/video.js'
import type { MediaKind } from '../media/generate.js'
import { DownloadError } from './errors.js'
import { fetchToFile } from './fetch-file.js'
import type { FixedJobOptions, JobReport } from './job.js'
import { Journal } from './journal.js'
import { silentProgress } from './progress.js'
import { withRetries } from './retry.js'

const PARTIAL = '.part'

/**
 * The fixed downloader. The catalogue is parsed as it is read; at most `concurrency` videos are in flight,
 * each streaming its MP4 then its PNG to temporary files whose first bytes are checked; a video's two files
 * are renamed into place together and journaled, so a rerun skips it. Transient failures are retried with
 * backoff; a video that still fails is reported and leaves nothing behind. Errors of the catalogue or the
 * disk stop the job (after the videos in flight) and are thrown.
 */
export async function downloadFixed(options: FixedJobOptions): Promise<JobReport> {
  const { catalogue, out, limit, concurrency = 4, progress = silentProgress } = options
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be 1 or more')
  const videos = streamVideos(catalogue)
  // The catalogue's first bytes are checked before anything is written.
  const first = await videos.next()
  await mkdir(out, { recursive: true })
  await removePartials(out)
  const journal = await Journal.open(out)
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const report: JobReport = { downloaded: 0, skipped: 0, failed: [], bytes: 0, retries: 0 }
  let fatal: { error: unknown } | undefined
  let running = 0
  let wake: (() => void) | undefined
  const settled = () => {
    running--
    wake?.()
  }
  progress.start(limit)
  try {
    let seen = 0
    for (let next = first; !next.done && fatal === undefined; next = await videos.next()) {
      if (limit !== undefined && seen >= limit) break
      seen++
      const video = next.value
      if (await journal.isDone(video.id)) {
        report.skipped++
        progress.skipped(video.id)
        continue
      }
      while (running >= concurrency) await new Promise<void>((resolve) => (wake = resolve))
      running++
      downloadVideo(video, { ...options, agent, journal, report })
        .then(
          (bytes) => {
            report.downloaded++
            report.bytes += bytes
            progress.done(video.id, bytes)
          },
          (error: unknown) => {
            if (error instanceof DownloadError) {
              report.failed.push({ id: video.id, error: error.message })
              progress.failed(video.id, error)
            } else fatal ??= { error }
          },
        )
        .finally(settled)
    }
  } catch (error) {
    fatal ??= { error }
  } finally {
    await videos.return()
    while (running > 0) await new Promise<void>((resolve) => (wake = resolve))
    agent.destroy()
    await journal.close()
    progress.finish()
  }
  if (fatal) throw fatal.error
  return report
}

interface Context extends FixedJobOptions {
  agent: Agent
  journal: Journal
  report: JobReport
}

/** Both files of one video, or neither: resolves to their bytes once both are in place and journaled. */
async function downloadVideo(video: Video, context: Context): Promise<number> {
  const { out, agent, journal, report, attempts = 4, backoffMs = 250, idleTimeoutMs = 30_000 } = context
  const files = (['mp4', 'png'] as const).map((kind: MediaKind) => ({
    kind,
    url: video[kind],
    path: join(out, `${video.id}.${kind}`),
    bytes: 0,
  }))
  try {
    for (const file of files) {
      file.bytes = await withRetries(
        () => fetchToFile(file.url, file.kind, file.path + PARTIAL, { agent, idleTimeoutMs }),
        {
          attempts,
          backoffMs,
          onRetry: (error, attempt) => {
            report.retries++
            context.progress?.retry(video.id, error, attempt)
          },
        },
      )
    }
    for (const file of files) await rename(file.path + PARTIAL, file.path)
  } catch (error) {
    await Promise.all(files.map((file) => rm(file.path + PARTIAL, { force: true })))
    throw error
  }
  const [mp4, png] = files
  await journal.record({ id: video.id, mp4: mp4?.bytes ?? 0, png: png?.bytes ?? 0 })
  return (mp4?.bytes ?? 0) + (png?.bytes ?? 0)
}

/** Temporary files a crashed run left: never complete, never kept. */
async function removePartials(out: string): Promise<void> {
  for await (const entry of await opendir(out)) {
    if (entry.isFile() && entry.name.endsWith(PARTIAL)) await rm(join(out, entry.name), { force: true })
  }
}
