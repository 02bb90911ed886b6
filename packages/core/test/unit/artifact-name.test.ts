import { describe, expect, test } from 'vitest'
import { ARTIFACT_NAME_BYTES, artifactName } from '../../src/internal.js'

const bytes = (text: string) => Buffer.byteLength(text)
const long = `a suite > ${'allocates a very long list of rows '.repeat(10)}`
const accented = `une suite > ${'alloue une très longue liste de lignes à réduire '.repeat(8)}`
const cjk = `测试 > ${'分配一个非常长的行列表'.repeat(30)}`

describe('artifactName', () => {
  test('keeps a short name as it was: letters, digits, _ . - kept, anything else made _', () => {
    expect(artifactName('a suite > over its limit')).toBe('a_suite_over_its_limit')
    expect(artifactName('café > 1.5 MB-ish')).toBe('café_1.5_MB-ish')
    expect(artifactName(' > ')).toBe('test')
  })

  test.for([
    ['ASCII', long],
    ['accented', accented],
    ['CJK (3 bytes a character)', cjk],
  ])('cuts a long %s name to at most ARTIFACT_NAME_BYTES UTF-8 bytes, ending in a hash', ([, name = '']) => {
    expect(bytes(name)).toBeGreaterThan(300)
    const cut = artifactName(name)
    expect(bytes(cut)).toBeLessThanOrEqual(ARTIFACT_NAME_BYTES)
    expect(bytes(cut)).toBeGreaterThan(ARTIFACT_NAME_BYTES - 12)
    expect(cut).toMatch(/-[0-9a-f]{8}$/)
    // Cut between characters: no replacement character from a split UTF-8 sequence.
    expect(Buffer.from(cut).toString('utf8')).toBe(cut)
    expect(name.replace(/[^\p{L}\p{N}]+/gu, '')).toContain(cut.slice(0, 20).replace(/[^\p{L}\p{N}]+/gu, ''))
  })

  test('two long names sharing their first 300 characters get different names', () => {
    const a = artifactName(`${long} then frees them`)
    const b = artifactName(`${long} then keeps them`)
    expect(a.slice(0, -8)).toBe(b.slice(0, -8))
    expect(a).not.toBe(b)
  })

  test('is the same for the same name, every time (the CLI finds artifacts by it)', () => {
    expect(artifactName(accented)).toBe(artifactName(accented))
    // Pinned (a hash of the name, nothing of the run or the process): a change here renames the artifacts of
    // every long-named test between releases, and a report of an older run stops finding them.
    expect(artifactName(long)).toBe(
      'a_suite_allocates_a_very_long_list_of_rows_allocates_a_very_long_list_of_rows_allocates_a_very_long_list_of_row-444b25bb',
    )
    expect(artifactName(cjk)).toBe(
      '测试_分配一个非常长的行列表分配一个非常长的行列表分配一个非常长的行列表分-cf9f1a1a',
    )
  })
})
