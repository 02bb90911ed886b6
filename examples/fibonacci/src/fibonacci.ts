// The tests import the implementation from here: the learner's exercise when FIBONACCI=exercise (what
// `pnpm exercise` runs), the sample solution otherwise (what CI runs).
import * as exercise from './exercise/fibonacci.js'
import * as solution from './solution/fibonacci.js'

export const implementation = process.env.FIBONACCI === 'exercise' ? 'exercise' : 'solution'
export const { fibonacci } = implementation === 'exercise' ? exercise : solution
