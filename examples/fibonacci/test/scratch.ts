// The learner's-loop helpers of @memgate/test-utils, bound to this example's folder.
import { fileURLToPath } from 'node:url'
import {
  changedFiles as changedIn,
  scratchCopy as copyOf,
  type Overlay,
} from '@memgate/test-utils/example-scratch'

export { type Overlay, removeScratch, unsolvedOverlay } from '@memgate/test-utils/example-scratch'

export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

/** A copy of this example in a new temporary folder, with `overlay` applied; a path ending in `/`. */
export const scratchCopy = (overlay: Overlay): string => copyOf(exampleRoot, overlay)

/** The files of `overlay` whose content in this example differs from what the overlay would put there. */
export const changedFiles = (overlay: Overlay): string[] => changedIn(exampleRoot, overlay)
