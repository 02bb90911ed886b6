import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { seededRandom } from '../random.js'

export interface CatalogueOptions {
  /** Where the media server listens: every download URL starts with it (no trailing slash). */
  baseUrl: string
  /** Videos in the catalogue. Default 2,500. */
  videos?: number
  /** Topics and exercises besides the videos (entries without files). Default 1,500. */
  others?: number
  /** Default 1: the same options always give the same bytes. */
  seed?: number
}

export interface GeneratedCatalogue {
  path: string
  entries: number
  videos: number
  bytes: number
}

const WORDS = (
  'addition algebra angle area arithmetic axis base binomial calculus chord circle coefficient constant ' +
  'cosine curve decimal degree denominator derivative diagonal diameter difference digit divisor domain ' +
  'equation estimate exponent expression factor fraction function graph hypotenuse integer integral ' +
  'interval limit linear logarithm matrix mean median midpoint multiple numerator parabola parallel ' +
  'percent perimeter polygon polynomial prime probability product proportion quadrant quotient radius ' +
  'range ratio reciprocal rectangle remainder rotation sequence series sine slope square statistics sum ' +
  'symmetry tangent theorem triangle variable vector vertex volume biology cell chemistry energy history'
).split(' ')
const ID_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_']

/**
 * Writes a catalogue like the seed's `contents.json`: one JSON object whose keys are content ids and whose
 * values describe topics, exercises and videos; a video has `download_urls` for its `mp4` and `png`. With
 * the defaults it holds 4,000 entries in about 8 MB. Written entry by entry, so generating a large one
 * holds no more than one entry.
 */
export async function writeCatalogue(path: string, options: CatalogueOptions): Promise<GeneratedCatalogue> {
  const { baseUrl, videos = 2500, others = 1500, seed = 1 } = options
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ')
  const newId = (length: number) =>
    // A letter first: an id that reads as an array index would be reordered by JSON.parse.
    pick(ID_CHARS.slice(0, 52)) + Array.from({ length: length - 1 }, () => pick(ID_CHARS)).join('')

  const out = createWriteStream(path)
  let bytes = 0
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  const total = videos + others
  let videosLeft = videos
  let topic = newId(8)
  await write('{')
  for (let n = 0; n < total; n++) {
    const othersLeft = total - n - videosLeft
    const isVideo = videosLeft > 0 && (othersLeft === 0 || random() < videosLeft / (total - n))
    if (isVideo) videosLeft--
    const id = isVideo ? newId(11) : newId(8)
    const title = words(2 + Math.floor(random() * 5))
    const slug = title.replaceAll(' ', '-')
    const kind = isVideo ? 'Video' : random() < 0.2 ? 'Topic' : 'Exercise'
    const entry: Record<string, unknown> = {
      id,
      kind,
      title: title[0]?.toUpperCase() + title.slice(1),
      slug,
      path: `khan/${topic}/${slug}/`,
      parent_id: topic,
      description: `${words(120 + Math.floor(random() * 130))}.`,
      keywords: Array.from({ length: 3 + Math.floor(random() * 6) }, () => pick(WORDS)),
      available: true,
      sort_order: n,
    }
    if (isVideo) {
      entry.youtube_id = id
      entry.duration = 60 + Math.floor(random() * 900)
      entry.format = 'mp4'
      entry.download_urls = {
        mp4: `${baseUrl}/videos/${id}.mp4`,
        png: `${baseUrl}/thumbnails/${id}.png`,
        m3u8: `${baseUrl}/hls/${id}.m3u8`,
      }
    }
    if (kind === 'Topic') topic = id
    await write(`${n === 0 ? '' : ','}\n  ${JSON.stringify(id)}: ${JSON.stringify(entry)}`)
  }
  await write('\n}\n')
  out.end()
  await once(out, 'close')
  return { path, entries: total, videos, bytes }
}
