// Runs the example's benchmarks and writes their tables into README.md, each between its markers:
//   <!-- bench:iterators:start --> … <!-- bench:iterators:end -->
//   <!-- bench:sequence:start --> … <!-- bench:sequence:end -->
// Usage (from examples/fibonacci): `pnpm bench:readme` for both, or `pnpm bench:readme sequence` for one.
import { fileURLToPath } from 'node:url'
import { writeBenchSectionsOfArgs } from '@memgate/test-utils/readme-sections'

writeBenchSectionsOfArgs({
  root: fileURLToPath(new URL('..', import.meta.url)),
  benches: ['iterators', 'sequence'],
  marker: 'bench',
  writtenBy: '`pnpm bench:readme` (scripts/bench-readme.ts)',
  reproduce: (name) =>
    'Reproduce from `examples/fibonacci` with `pnpm bench` (both benchmarks, tables on the terminal) or ' +
    `\`node --import tsx bench/${name}.bench.ts\` (this one); \`pnpm bench:readme\` rewrites these tables.`,
})
