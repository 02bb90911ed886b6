import { memgate } from '@memgate/vitest'
import { defineProject } from 'vitest/config'

export default defineProject({
  // Node 24 leaves Node's own objects behind after a run of requests: a new 64 KiB Buffer pool (node:buffer's
  // allocPool, an ArrayBuffer) and undici's WeakRefs of fetch response bodies (its streamRegistry), ~65 kB
  // each. The services' leaks are sessions, rows and strings, never these kinds.
  plugins: [memgate({ ignoreLeaks: { kinds: ['ArrayBuffer', 'WeakRef'] } })],
  test: {
    name: 'example-orders',
    include: ['test/*.test.ts'],
    testTimeout: 120_000,
  },
})
