import { describe, expect, test } from 'vitest'
import { createProgress, type ProgressStream } from '../src/download/progress.js'

function stream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    text: '',
    isTTY,
    columns: 72,
    write(chunk: string) {
      this.text += chunk
    },
  }
}

describe('progress', () => {
  test('on a terminal, is one bar redrawn in place, at most every 100 ms, failures printed above it', () => {
    const out = stream(true)
    let clock = 0
    const progress = createProgress(out, () => clock)
    progress.start(4)
    clock = 150
    progress.done('a', 2_000_000)
    clock = 160
    progress.skipped('b') // within 100 ms of the last drawing: not drawn
    progress.failed('c', new Error('GET x answered 404'))
    clock = 400
    progress.done('d', 1_000_000)
    progress.finish()
    const frames = out.text.split('\r').filter(Boolean)
    expect(frames).toEqual([
      '[--------------------] 0/4 videos, 0 B\x1b[K',
      '[#####---------------] 1/4 videos, 2 MB\x1b[K',
      '\x1b[Kfailed c: GET x answered 404\n',
      '[###############-----] 3/4 videos, 2 MB, 1 skipped, 1 failed\x1b[K',
      '[####################] 4/4 videos, 3 MB, 1 skipped, 1 failed\x1b[K',
      '[####################] 4/4 videos, 3 MB, 1 skipped, 1 failed\x1b[K\n',
    ])
  })

  test('without a terminal (a pipe, a log file), is one plain line per event', () => {
    const out = stream(false)
    const progress = createProgress(out)
    progress.start(undefined)
    progress.done('a', 2_000_000)
    progress.skipped('b')
    progress.retry('c', new Error('GET x answered 500'), 1)
    progress.failed('c', new Error('GET x answered 500'))
    progress.finish()
    expect(out.text).toBe(
      [
        'starting: every videos',
        'done a (2 MB)',
        'skipped b (downloaded by an earlier run)',
        'retrying c after attempt 1: GET x answered 500',
        'failed c: GET x answered 500',
        '',
      ].join('\n'),
    )
  })
})
