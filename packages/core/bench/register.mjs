// `node --import ./bench/register.mjs bench/measure.bench.ts`: Node 20 cannot run TypeScript itself, so this
// registers hooks that strip the types of the benchmark's own `.ts` files as they load. They are type-checked
// by the package's `typecheck` script, not here.
import { register } from 'node:module'

register('./typescript-hooks.mjs', import.meta.url)
