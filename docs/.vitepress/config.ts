import { defineConfig } from 'vitepress'

// The pages are in src/ (so the build's inputs are one folder); the API reference is generated into src/api/
// by typedoc before `vitepress build`. Dead links fail the build (VitePress's default: keep it).
export default defineConfig({
  title: 'memgate',
  description: 'Memory-limit assertions for Vitest: a test says how much memory its code may hold or leak.',
  srcDir: 'src',
  outDir: 'dist',
  cleanUrls: true,
  lastUpdated: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Concepts', link: '/concepts' },
      { text: 'API', link: '/api/' },
      { text: 'Workshop', link: '/workshop/' },
      { text: 'Comparison', link: '/comparison' },
    ],
    sidebar: [
      {
        text: 'Start',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Concepts', link: '/concepts' },
        ],
      },
      {
        text: 'Guides',
        items: [
          { text: 'Hunting a leak', link: '/guides/leak-hunting' },
          { text: 'The CI gate', link: '/guides/ci-gate' },
          { text: 'Reading the flamegraph', link: '/guides/flamegraph' },
          { text: 'The memgate command', link: '/guides/cli' },
          { text: 'The core without Vitest', link: '/guides/core-without-vitest' },
          { text: 'Memory in benchmarks', link: '/guides/benchmarks' },
        ],
      },
      {
        text: 'API reference',
        items: [
          { text: 'Overview', link: '/api/' },
          { text: '@memgate/vitest', link: '/api/@memgate/vitest/' },
          { text: '@memgate/core', link: '/api/@memgate/core/' },
          { text: '@memgate/cli', link: '/api/@memgate/cli/' },
        ],
      },
      {
        text: 'Workshop',
        items: [
          { text: 'How it works', link: '/workshop/' },
          { text: 'Fibonacci', link: '/workshop/fibonacci' },
          { text: 'Bulk downloads', link: '/workshop/bulk-downloads' },
          { text: 'Orders', link: '/workshop/orders' },
        ],
      },
      { text: 'Comparison', link: '/comparison' },
    ],
    // Built into the site at build time (no service, nothing fetched).
    search: { provider: 'local' },
    outline: [2, 3],
  },
})
