import { memgate } from '@memgate/vitest'
import { defineProject } from 'vitest/config'

export default defineProject({
  // Node 24 leaves a new 64 KiB Buffer pool (node:buffer's allocPool, an ArrayBuffer) behind after a run of
  // requests: Node's, not the services'. The services' leaks are sessions, rows and strings, never ArrayBuffers.
  plugins: [memgate({ ignoreLeaks: { kinds: ['ArrayBuffer'] } })],
  test: {
    name: 'example-orders',
    include: ['test/*.test.ts'],
    testTimeout: 120_000,
  },
})
