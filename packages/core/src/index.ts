export { InvalidSizeError, MemgateError } from './errors.js'
export type { Size } from './size.js'
export { formatSize, parseSize } from './size.js'
