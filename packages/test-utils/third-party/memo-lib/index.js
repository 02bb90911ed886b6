// A memoizer that never forgets: every key it has seen keeps its result, for as long as the function lives.
// CommonJS, as many packages on npm still are.
let hits = 0

exports.memoize = function memoize(compute) {
  const cache = new Map()
  return function memoized(key) {
    if (cache.has(key)) hits++
    else cache.set(key, compute(key))
    return cache.get(key)
  }
}

/** How many calls were answered from a cache, over all memoized functions. */
exports.hits = () => hits
