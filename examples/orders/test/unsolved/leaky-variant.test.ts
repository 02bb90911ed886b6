// The leaky gateway as shipped: what the exercise asks the learner to change. Not part of `pnpm test`'s own
// files (test/*.test.ts): leaky-fails.test.ts runs it on the frozen copy of src/leaky/
// (test/fixtures/unsolved/), so that a learner who fixes src/leaky/ in place keeps `pnpm test` green.
import { afterEach, expect, test } from 'vitest'
import type { Gateway } from '../../src/gateway.js'
import { startGateway } from '../client.js'
import { browse } from '../workload.js'

let gateway: Gateway | undefined
afterEach(() => gateway?.close())

async function start() {
  const started = await startGateway({ variant: 'leaky' })
  gateway = started.gateway
  return started.call
}

test('the leaky gateway keeps every session it opened', async () => {
  const call = await start()
  await browse(call, 20)
  // Every request opened one (none of these answers was in the cache yet), and none was let go.
  expect((await call('GET', '/stats')).body.sessions).toBe(20 * 5)
})

test('the leaky gateway’s cache keeps every order and product read', async () => {
  const call = await start()
  await browse(call, 30)
  expect((await call('GET', '/stats')).body.cachedResponses).toBeGreaterThanOrEqual(60)
})
