// Run by measure-leaks.test.ts in a plain Node process: each round diagnoses a leak, then measures the same
// leak again at once. Prints the leaked figures, without and after a diagnosis, as JSON.
import { diagnoseLeaks, measure } from '../../dist/index.js'

class Connection {
  static registry = []
  constructor(host) {
    this.host = host
    Connection.registry.push(this)
  }
}

function connect() {
  for (let i = 0; i < 2000; i++) new Connection(`db-${i % 3}`)
}

const rounds = Number(process.argv[2] ?? 30)
const reference = []
// The reference rounds start as the others do after their diagnosis, which ran the leak once more: with the
// registry holding one call's connections, so that both measure the same growth of its array.
for (let round = 0; round < 5; round++) {
  connect()
  reference.push((await measure(connect)).leaked)
  Connection.registry.length = 0
}
const afterDiagnosis = []
for (let round = 0; round < rounds; round++) {
  await diagnoseLeaks(connect)
  afterDiagnosis.push((await measure(connect)).leaked)
  Connection.registry.length = 0
}
console.log(JSON.stringify({ reference, afterDiagnosis }))
