import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'cli:unit',
    include: ['test/unit/**/*.test.ts'],
  },
})
