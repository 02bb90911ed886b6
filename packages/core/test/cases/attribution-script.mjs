// Run by sites-attribution.test.ts in a plain Node process, so line numbers are those of this file.
import { measure } from '../../dist/index.js'

let held

function buildArray() {
  held = new Array(1_250_000).fill(0)
}

function buildObjects() {
  held = new Array(200_000)
  for (let id = 0; id < held.length; id++) held[id] = { id }
}

function* fibonacci() {
  let [a, b] = [0n, 1n]
  for (;;) {
    yield a
    ;[a, b] = [b, a + b]
  }
}

function walkFibonacci() {
  let count = 0
  for (const _ of fibonacci()) if (++count >= 20_000) break
}

const result = {}
for (const [name, run] of Object.entries({ buildArray, buildObjects, fibonacci: walkFibonacci })) {
  const measurement = await measure(run)
  held = undefined
  result[name] = measurement.allocationSites[0]
}
console.log(JSON.stringify(result))
