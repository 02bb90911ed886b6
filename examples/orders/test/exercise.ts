// The exercise as the learner's loop sees it: the files to edit, what `pnpm exercise` runs, and the solution.
import { unsolvedOverlay } from './scratch.js'

/** The files the learner edits. */
export const EXERCISE_FILES = ['src/leaky/cache.ts', 'src/leaky/sessions.ts', 'src/leaky/variant.ts']
/** What `pnpm exercise` runs (package.json), and with which environment. */
export const EXERCISE_ENV = { ORDERS_VARIANT: 'leaky' }
export const EXERCISE_SUITE = ['test/gateway-leaks.test.ts']
/** The exercise as shipped, from its frozen copy. */
export const UNSOLVED = unsolvedOverlay(EXERCISE_FILES)
/** The exercise solved in place, as the sample solution in src/fixed/ does it. */
export const SOLVED = { 'src/leaky/variant.ts': 'test/fixtures/solved/src/leaky/variant.ts' }
