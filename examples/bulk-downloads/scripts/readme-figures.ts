// Runs the example's benchmarks and writes their figures into README.md, each between its markers:
//   <!-- figures:seed-questions:start --> … <!-- figures:seed-questions:end -->
//   <!-- figures:scaling:start --> … <!-- figures:scaling:end -->
// Usage (from examples/bulk-downloads): `pnpm readme-figures` for both, or `pnpm readme-figures scaling`.
import { fileURLToPath } from 'node:url'
import { writeBenchSectionsOfArgs } from '@memgate/test-utils/readme-sections'

writeBenchSectionsOfArgs({
  root: fileURLToPath(new URL('..', import.meta.url)),
  benches: ['seed-questions', 'scaling'],
  marker: 'figures',
  writtenBy: '`pnpm readme-figures` (scripts/readme-figures.ts)',
  reproduce: (name) =>
    `Reproduce from \`examples/bulk-downloads\` with \`node --import tsx bench/${name}.bench.ts\` (this one, ` +
    'printed) or `pnpm readme-figures` (both, written here).',
})
