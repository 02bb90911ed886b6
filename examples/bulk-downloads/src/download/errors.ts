/** Base of the downloader's errors: a stable `code`, and whether trying again may succeed. */
export class DownloadError extends Error {
  readonly code: string
  /** A later attempt may succeed (a 5xx, a reset, a timeout); the others are final. */
  readonly transient: boolean

  constructor(code: string, message: string, transient = false, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.transient = transient
  }
}

export class CatalogueNotFoundError extends DownloadError {
  constructor(path: string) {
    super(
      'BD_CATALOGUE_NOT_FOUND',
      `No catalogue at ${path}. Give the path of a contents.json with --catalogue ` +
        '(make one with `pnpm catalogue --out contents.json`).',
    )
  }
}

export class CatalogueFormatError extends DownloadError {
  constructor(path: string, problem: string) {
    super(
      'BD_CATALOGUE_MALFORMED',
      `The catalogue ${path} is malformed: ${problem}. It must be one JSON object whose keys are content ids ` +
        'and whose Video entries have download_urls.mp4 and download_urls.png.',
    )
  }
}

export class HttpStatusError extends DownloadError {
  readonly status: number

  constructor(url: string, status: number) {
    super('BD_HTTP_STATUS', `GET ${url} answered ${status}`, status >= 500 || status === 429)
    this.status = status
  }
}

/** The connection failed, was reset, went idle, or ended before the promised length. */
export class NetworkError extends DownloadError {
  constructor(url: string, problem: string, options?: ErrorOptions) {
    super('BD_NETWORK', `GET ${url}: ${problem}`, true, options)
  }
}

export class InvalidMediaError extends DownloadError {
  constructor(url: string, kind: string, found: string) {
    super(
      'BD_INVALID_MEDIA',
      `GET ${url} did not send ${kind === 'mp4' ? 'an MP4' : 'a PNG'} file: it starts with ${found}; not kept`,
    )
  }
}

export class UsageError extends DownloadError {
  constructor(message: string) {
    super('BD_USAGE', message)
  }
}
