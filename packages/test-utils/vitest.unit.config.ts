import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'test-utils:unit',
    include: ['test/unit/**/*.test.ts'],
  },
})
