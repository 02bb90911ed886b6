/**
 * Whether to write colours to a stream, by the variables Vitest's colours and Node's `util.styleText` read:
 * `NO_COLOR` (any value but empty) turns them off; else `FORCE_COLOR` turns them on (`0` or `false`: off);
 * else only a terminal gets them, one whose `TERM` is not `dumb`. A pipe or a file gets none.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  return stream.isTTY === true && env.TERM !== 'dumb'
}

// What citty reads, once, as it loads: it colours unless NO_COLOR is "1", TERM "dumb", or TEST or CI is set.
const CITTY_NO_COLOR = ['NO_COLOR', 'TERM', 'TEST', 'CI'] as const

/**
 * Loads citty (and what imports it) with the environment set so that its help colours as {@link wantsColor}
 * says, then puts the environment back as it was: the script a command runs gets the user's own.
 */
export async function loadWithColor<T>(colors: boolean, load: () => Promise<T>): Promise<T> {
  const saved = CITTY_NO_COLOR.map((name) => [name, process.env[name]] as const)
  if (colors) {
    for (const name of CITTY_NO_COLOR)
      if (name !== 'TERM' || process.env.TERM === 'dumb') delete process.env[name]
  } else process.env.NO_COLOR = '1'
  try {
    return await load()
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
