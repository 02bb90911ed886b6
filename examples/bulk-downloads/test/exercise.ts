// The exercise as the learner's loop sees it: the file to edit, what `pnpm exercise` runs, and the solution.
import { unsolvedOverlay } from './scratch.js'

/** The file the learner edits. */
export const EXERCISE_FILES = ['src/download/naive.ts']
/** What `pnpm exercise` runs (package.json), and with which environment. */
export const EXERCISE_ENV = { DOWNLOADER: 'naive' }
export const EXERCISE_SUITE = ['test/download-memory.test.ts']
/** The exercise as shipped, from its frozen copy. */
export const UNSOLVED = unsolvedOverlay(EXERCISE_FILES)
/** The exercise solved in place (for memory: a streaming parse, bodies streamed to disk). */
export const SOLVED = { 'src/download/naive.ts': 'test/fixtures/solved/src/download/naive.ts' }
