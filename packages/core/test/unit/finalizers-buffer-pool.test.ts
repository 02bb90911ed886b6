import { Buffer } from 'node:buffer'
import { describe, expect, test } from 'vitest'
import { renewBufferPool } from '../../src/measure/buffer-pool.js'
import { runFinalizers } from '../../src/v8/gc.js'

describe('renewBufferPool', () => {
  test.each([0, 1, 0.49, 0.5, 0.51, 0.99])(
    'starts a new pool wherever the current one is filled to (%s of it)',
    (filled) => {
      const before = Buffer.from('a slice of the current pool').buffer
      // In slices, as small Buffers fill it: one Buffer of half a pool or more is never pooled.
      for (let used = 0; used < Buffer.poolSize * filled - 64; used += 64) Buffer.allocUnsafe(64)
      renewBufferPool()
      const after = Buffer.from('x').buffer
      expect(after).not.toBe(before)
      expect(after.byteLength).toBe(Buffer.poolSize)
    },
  )

  test('does nothing when Node pools nothing', () => {
    const poolSize = Buffer.poolSize
    Buffer.poolSize = 0
    try {
      expect(() => renewBufferPool()).not.toThrow()
    } finally {
      Buffer.poolSize = poolSize
    }
  })
})

describe('runFinalizers', () => {
  // V8 runs one registry's callbacks per task of the event loop: in a test runner's worker, other registries
  // made due by the same collections (Node's, undici's, the runner's) can be queued before the chain's.
  test.each([0, 40])(
    'runs FinalizationRegistry callbacks two in a chain, and only then returns (%s other registries due)',
    async (others) => {
      const slots: (object | undefined)[] = new Array(100).fill(undefined)
      let secondRan = 0
      const second = new FinalizationRegistry<number>(() => {
        secondRan++
      })
      const first = new FinalizationRegistry<number>((slot) => {
        slots[slot] = undefined
      })
      // In a function of its own: the suspended test keeps its registers, and one would hold the last object.
      const register = () => {
        for (let i = 0; i < slots.length; i++) {
          const inner = {}
          slots[i] = inner
          second.register(inner, i)
          first.register({}, i)
        }
      }
      const registries: FinalizationRegistry<number>[] = []
      let othersRan = 0
      const registerOthers = () => {
        for (let i = 0; i < others; i++) {
          const registry = new FinalizationRegistry<number>(() => {
            othersRan++
          })
          registry.register({}, i)
          registries.push(registry)
        }
      }
      registerOthers()
      register()
      await runFinalizers()
      expect(slots.every((slot) => slot === undefined)).toBe(true)
      expect(secondRan).toBe(slots.length)
      expect(othersRan).toBe(others)
    },
  )
})
