import { describe, expect, test } from 'vitest'
import { annotationMessage, MESSAGE_BYTES } from '../../src/runtime/artifact.js'

const what = "heap profile of the test body, for Chrome DevTools' Memory panel"
const bytes = (text: string) => Buffer.byteLength(text)

describe('annotationMessage', () => {
  test('names the whole path when Vitest can name its copy after it', () => {
    expect(annotationMessage(what, '.memgate/a.test.ts/a_suite_over_its_limit.heapprofile')).toBe(
      `${what}: .memgate/a.test.ts/a_suite_over_its_limit.heapprofile`,
    )
  })

  test.for([
    ['ASCII', `.memgate/${'nested/'.repeat(20)}a.test.ts/${'x'.repeat(111)}-0123abcd.heapprofile`],
    ['non-ASCII', `.memgate/${'dossier_é/'.repeat(20)}測試.test.ts/${'測'.repeat(37)}-0123abcd.heapprofile`],
  ])('keeps a long %s path to its end, within the bytes a copy can take', ([, shown = '']) => {
    const message = annotationMessage(what, shown)
    expect(bytes(`${what}: ${shown}`)).toBeGreaterThan(MESSAGE_BYTES)
    expect(bytes(message)).toBeLessThanOrEqual(MESSAGE_BYTES)
    expect(bytes(message)).toBeGreaterThan(MESSAGE_BYTES - 4)
    expect(message.startsWith(`${what}: …`)).toBe(true)
    expect(shown.endsWith(message.slice(`${what}: …`.length))).toBe(true)
    expect(message).toMatch(/-0123abcd\.heapprofile$/)
  })
})
