// Exercise 1 as the learner's loop sees it: the file to edit, what `pnpm exercise` runs, and the solution.
import { unsolvedOverlay } from './scratch.js'

/** The files the learner edits. */
export const EXERCISE_FILES = ['src/exercise/fibonacci.ts']
/** What `pnpm exercise` runs (package.json), and with which environment. */
export const EXERCISE_ENV = { FIBONACCI: 'exercise' }
export const EXERCISE_SUITE = ['test/exercise-memory.test.ts', 'test/fibonacci-sequence.test.ts']
/** The exercise as shipped, from its frozen copy. */
export const UNSOLVED = unsolvedOverlay(EXERCISE_FILES)
/** The exercise solved: the sample solution in the exercise's place. */
export const SOLVED = { 'src/exercise/fibonacci.ts': 'src/solution/fibonacci.ts' }
