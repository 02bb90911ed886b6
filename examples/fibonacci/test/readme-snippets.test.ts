// The README's code blocks are verbatim parts of this example's files, as the docs' snippet check sees them:
// the tests of @memgate/test-utils/readme-snippets, bound to this folder and its number of ts blocks.
import { fileURLToPath } from 'node:url'
import { testReadmeSnippets } from '@memgate/test-utils/readme-snippets'

testReadmeSnippets(fileURLToPath(new URL('..', import.meta.url)), 2)
