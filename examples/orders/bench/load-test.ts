// The load test: both gateways, each in its own process, driven by autocannon over loopback in phases of a
// fixed number of requests; after each phase, latency percentiles and the gateway's heap after a full GC.
// Phases alternate between the two gateways, so both see the same machine load over time. Bounded in
// requests (phases × requests per phase) and in time (--max-seconds: no phase starts after it).
//
//   pnpm load [--phases 10] [--requests 7000] [--connections 8] [--max-seconds 900] [--no-write] [--services]
//   pnpm load --render      (no load: rewrites the chart and the README section from load/results.json)
//
// Writes load/results.json, load/chart.svg and the results section of README.md (unless --no-write).
// --services: each gateway as one of the three services, in front of its own products and orders services, each
// a process (the heap is the gateway's); writes load/services-results.json only, the README's figures staying
// the one-process run's.
import { readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus } from 'node:os'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { VARIANTS, type VariantName } from '../src/variant.js'
import { renderChart } from './load/chart.js'
import { roundRequests } from './load/mix.js'
import type { LoadResults, PhaseResult } from './load/results.js'
import { type RunningServer, startServer, startThreeServices } from './load/server.js'
import { renderTable, replaceSection, summarize } from './load/table.js'

const { values } = parseArgs({
  options: {
    phases: { type: 'string', default: '10' },
    requests: { type: 'string', default: '7000' },
    connections: { type: 'string', default: '8' },
    'warm-up': { type: 'string', default: '1400' },
    'max-seconds': { type: 'string', default: '900' },
    'no-write': { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    services: { type: 'boolean', default: false },
  },
})
const here = (path: string) => new URL(`../${path}`, import.meta.url)
if (values.render) {
  await writeOutputs(JSON.parse(await readFile(here('load/results.json'), 'utf8')) as LoadResults)
  process.exit(0)
}
const settings = {
  phases: whole('phases', values.phases),
  requestsPerPhase: whole('requests', values.requests),
  connections: whole('connections', values.connections),
  warmUp: whole('warm-up', values['warm-up']),
  maxSeconds: whole('max-seconds', values['max-seconds']),
}

function whole(name: string, raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, got "${raw}"`)
    process.exit(2)
  }
  return value
}

let counter = 0
const requests = roundRequests(() => counter++)
const started = performance.now()
const servers = new Map<VariantName, RunningServer>()
const served = new Map<VariantName, number>()
const phases: PhaseResult[] = []
let stoppedEarly = false

async function drive(variant: VariantName, amount: number) {
  const server = servers.get(variant)
  if (!server) throw new Error(`No ${variant} server`)
  const result = await autocannon({ url: server.url, connections: settings.connections, amount, requests })
  served.set(variant, (served.get(variant) ?? 0) + result.requests.sent)
  return result
}

try {
  for (const variant of VARIANTS) {
    servers.set(variant, await (values.services ? startThreeServices(variant) : startServer(variant)))
    if (values.services)
      console.log(`${variant} gateway in front of its products and orders services, three processes`)
    // Compiles the gateway's code paths before anything is measured.
    await drive(variant, settings.warmUp)
  }
  for (let phase = 1; phase <= settings.phases; phase++) {
    if ((performance.now() - started) / 1000 > settings.maxSeconds) {
      stoppedEarly = true
      console.log(`Stopped before phase ${phase}: over --max-seconds ${settings.maxSeconds}`)
      break
    }
    const order = phase % 2 === 1 ? VARIANTS : [...VARIANTS].reverse()
    for (const variant of order) {
      const result = await drive(variant, settings.requestsPerPhase)
      const stats = await servers.get(variant)?.stats()
      if (!stats) throw new Error(`No ${variant} server`)
      const { p50, p90, p99, max, average } = result.latency
      const row: PhaseResult = {
        variant,
        phase,
        servedSoFar: served.get(variant) ?? 0,
        requests: result.requests.sent,
        seconds: result.duration,
        latency: { p50, p90, p99, max, mean: average },
        non2xx: result.non2xx,
        errors: result.errors,
        heapAfterGc: stats.memory.heapUsed,
        rss: stats.memory.rss,
        sessions: stats.sessions,
        cachedResponses: stats.cachedResponses,
      }
      phases.push(row)
      console.log(
        `phase ${phase} ${variant.padEnd(5)} served ${String(row.servedSoFar).padStart(7)}  p50 ${p50} ms  p99 ${p99} ms  ` +
          `${Math.round(row.requests / row.seconds)} req/s  heap after GC ${(row.heapAfterGc / 1e6).toFixed(1)} MB  ` +
          `sessions ${row.sessions}  non-2xx ${row.non2xx}  errors ${row.errors}`,
      )
    }
  }
} finally {
  await Promise.all([...servers.values()].map((server) => server.stop()))
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
const results: LoadResults = {
  date: new Date().toISOString(),
  environment: `Node ${process.version} on ${process.platform} ${process.arch}, ${cpu} (${availableParallelism()} CPUs)`,
  settings,
  stoppedEarly,
  seconds: Math.round((performance.now() - started) / 1000),
  phases,
}
console.log(`\n${renderTable(results)}\n\n${summarize(results)}`)
if (values.services && !values['no-write']) {
  await writeFile(here('load/services-results.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log('Wrote load/services-results.json')
} else if (!values['no-write']) {
  await writeFile(here('load/results.json'), `${JSON.stringify(results, null, 2)}\n`)
  await writeOutputs(results)
}

async function writeOutputs(results: LoadResults): Promise<void> {
  await writeFile(here('load/chart.svg'), renderChart(results))
  const { phases: p, requestsPerPhase, connections, warmUp } = results.settings
  const section = [
    `<!-- written by \`pnpm load\` (bench/load-test.ts) from a run on ${results.date.slice(0, 10)}; do not edit by hand -->`,
    '',
    '![Latency and heap of the two gateways against requests served](load/chart.svg)',
    '',
    renderTable(results),
    '',
    `${summarize(results)}.`,
    '',
    `${p} phases of ${requestsPerPhase.toLocaleString('en')} requests per gateway after ${warmUp.toLocaleString('en')} warm-up requests, ` +
      `${connections} connections, autocannon over loopback; phases alternate between the gateways. Latency: autocannon's ` +
      'percentiles over the phase, in whole milliseconds. Heap: the gateway process’s `heapUsed` right after a full GC (`/stats?gc=1`, the ' +
      'process started with `--expose-gc`), so it is what stays reachable, not garbage. Both gateways run with ' +
      `Node's default heap settings. ${results.environment}; the run took ${results.seconds} s` +
      `${results.stoppedEarly ? ' and was stopped early by its time limit' : ''}. Raw figures: \`load/results.json\`.`,
  ].join('\n')
  const readme = await readFile(here('README.md'), 'utf8')
  await writeFile(here('README.md'), replaceSection(readme, section))
  console.log('Wrote load/chart.svg and the load section of README.md')
}
