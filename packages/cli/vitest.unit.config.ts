import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

export default defineProject({
  // From core's sources, so the unit tier needs no build (readme-api.test.ts loads the commands).
  resolve: {
    alias: {
      '@memgate/core/internal/config': fileURLToPath(
        new URL('../core/src/internal-config.ts', import.meta.url),
      ),
      '@memgate/core/internal': fileURLToPath(new URL('../core/src/internal.ts', import.meta.url)),
      '@memgate/core/size': fileURLToPath(new URL('../core/src/size.ts', import.meta.url)),
      '@memgate/core/errors': fileURLToPath(new URL('../core/src/errors.ts', import.meta.url)),
      '@memgate/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'cli:unit',
    include: ['test/unit/**/*.test.ts'],
  },
})
