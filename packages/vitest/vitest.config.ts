import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'vitest-plugin',
    include: ['test/**/*.test.ts'],
  },
})
