// Runs the example's benchmarks and writes their tables into README.md, each between its markers:
//   <!-- bench:iterators:start --> … <!-- bench:iterators:end -->
//   <!-- bench:sequence:start --> … <!-- bench:sequence:end -->
//   <!-- bench:sequence-max:start --> … <!-- bench:sequence-max:end -->   (n = 100,000, one run)
// Usage (from examples/fibonacci): `pnpm bench:readme` for all, or `pnpm bench:readme sequence-max` for one.
import { fileURLToPath } from 'node:url'
import { writeBenchSectionsOfArgs } from '@memgate/test-utils/readme-sections'

writeBenchSectionsOfArgs({
  root: fileURLToPath(new URL('..', import.meta.url)),
  benches: ['iterators', 'sequence', 'sequence-max'],
  marker: 'bench',
  writtenBy: '`pnpm bench:readme` (scripts/bench-readme.ts)',
  reproduce: (name) =>
    'Reproduce from `examples/fibonacci` with `pnpm bench` (every benchmark, tables on the terminal) or ' +
    `\`node --import tsx bench/${name}.bench.ts\` (this one); \`pnpm bench:readme ${name}\` rewrites this section.`,
})
