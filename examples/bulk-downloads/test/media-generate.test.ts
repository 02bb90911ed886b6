import { crc32 } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { DEFAULT_SIZES, mediaChunks, mediaSize } from '../src/media/generate.js'
import { checkMagic } from '../src/media/magic.js'
import { expectedDigest } from './helpers.js'

const whole = (kind: 'mp4' | 'png', id: string, size: number) =>
  Buffer.concat([...mediaChunks(kind, id, size)])

describe('the media generator', () => {
  test('makes an MP4 of exactly the size asked: an ftyp box, then an mdat box to the end', () => {
    const file = whole('mp4', 'zdfIZPJfEZx', 300_001)
    expect(file.length).toBe(300_001)
    expect(file.readUInt32BE(0)).toBe(32)
    expect(file.toString('latin1', 4, 12)).toBe('ftypisom')
    expect(file.readUInt32BE(32) + 32).toBe(file.length)
    expect(file.toString('latin1', 36, 40)).toBe('mdat')
  })

  test('makes a PNG of exactly the size asked, every chunk with its right CRC', () => {
    const file = whole('png', 'zdfIZPJfEZx', 100_003)
    expect(file.length).toBe(100_003)
    expect(file.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    const chunks: string[] = []
    for (let at = 8; at < file.length; ) {
      const length = file.readUInt32BE(at)
      const type = file.toString('latin1', at + 4, at + 8)
      expect(file.readUInt32BE(at + 8 + length)).toBe(crc32(file.subarray(at + 4, at + 8 + length)))
      chunks.push(type)
      at += 12 + length
    }
    expect(chunks).toEqual(['IHDR', 'IDAT', 'IEND'])
    expect(file.readUInt32BE(16)).toBeGreaterThan(0) // width
  })

  test('gives the same bytes for the same video and different bytes for another', () => {
    expect(expectedDigest('mp4', 'aaa', DEFAULT_SIZES)).toBe(expectedDigest('mp4', 'aaa', DEFAULT_SIZES))
    expect(expectedDigest('mp4', 'aaa', DEFAULT_SIZES)).not.toBe(expectedDigest('mp4', 'aab', DEFAULT_SIZES))
  })

  test('sizes files within ±25% of the average asked, a few MB by default', () => {
    const sizes = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => mediaSize('mp4', id, DEFAULT_SIZES))
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(2_250_000)
    for (const size of sizes) expect(size).toBeLessThanOrEqual(3_750_000)
    expect(new Set(sizes).size).toBeGreaterThan(1)
  })
})

describe('the magic-byte check', () => {
  test('accepts what the generator makes', () => {
    expect(checkMagic('mp4', whole('mp4', 'x', 1000).subarray(0, 16))).toEqual({ ok: true })
    expect(checkMagic('png', whole('png', 'x', 1000).subarray(0, 16))).toEqual({ ok: true })
  })

  test('rejects a web page, a PNG sent for an MP4 and the reverse, saying what it found', () => {
    const page = Buffer.from('<!DOCTYPE html><html>')
    expect(checkMagic('mp4', page)).toEqual({ ok: false, found: '"<!DOCTYPE html><"' })
    expect(checkMagic('mp4', whole('png', 'x', 1000).subarray(0, 16)).ok).toBe(false)
    expect(checkMagic('png', whole('mp4', 'x', 1000).subarray(0, 16))).toEqual({
      ok: false,
      found: '00 00 00 20 66 74 79 70 69 73 6f 6d 00 00 02 00',
    })
  })

  test('rejects a file too short to hold the magic bytes', () => {
    expect(checkMagic('png', Buffer.from([0x89, 0x50])).ok).toBe(false)
    expect(checkMagic('mp4', Buffer.alloc(0)).ok).toBe(false)
  })
})
