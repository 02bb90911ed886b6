import { CatalogueFormatError } from '../download/errors.js'

/** What the downloaders need of a Video entry. */
export interface Video {
  id: string
  mp4: string
  png: string
}

/** Ids become file names: nothing that could climb out of the output folder. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/

/** The video described by one catalogue entry, `undefined` for entries of other kinds; throws if malformed. */
export function toVideo(
  catalogue: string,
  key: string | number | undefined,
  value: unknown,
): Video | undefined {
  if (typeof key !== 'string') throw new CatalogueFormatError(catalogue, 'its top level is not an object')
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CatalogueFormatError(catalogue, `entry ${JSON.stringify(key)} is not an object`)
  }
  const entry = value as { kind?: unknown; download_urls?: { mp4?: unknown; png?: unknown } }
  if (entry.kind !== 'Video') return undefined
  if (!SAFE_ID.test(key)) {
    throw new CatalogueFormatError(
      catalogue,
      `the video id ${JSON.stringify(key)} is not usable as a file name`,
    )
  }
  const { mp4, png } = entry.download_urls ?? {}
  for (const [name, url] of [
    ['mp4', mp4],
    ['png', png],
  ] as const) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new CatalogueFormatError(
        catalogue,
        `the video ${JSON.stringify(key)} has no http(s) URL in download_urls.${name}`,
      )
    }
  }
  return { id: key, mp4: mp4 as string, png: png as string }
}
