/** What each command's exit code means, printed under its --help (and in the README). */
export const EXIT_CODES: Record<string, string[]> = {
  memgate: [
    '0  the command did what it was asked',
    '1  an unexpected failure (a bug: please report it)',
    '2  a usage error or bad input: unknown command or option, missing or unusable file or folder',
    'memgate run and memgate leaks exit with the script’s own exit code.',
  ],
  run: [
    'the script’s own exit code (1 if it threw), once the capture is written',
    '2  a usage error: unknown option, bad --interval, missing script',
    '1  the script ended without a capture (or its own code, if it gave one)',
  ],
  leaks: [
    'the script’s own exit code (1 if it threw), once the diagnosis is printed and the snapshot written',
    '2  a usage error: unknown option, missing script, an output that is not a .heapsnapshot',
    '1  the script ended without a diagnosis (or its own code, if it gave one)',
  ],
  flamegraph: [
    '0  the page was written; its path is printed on stdout',
    '2  bad input: missing, unreadable or foreign capture, --retained not made with --leaks, unwritable page',
  ],
  report: [
    '0  the index was written (also when tests went over their limits); its path is printed on stdout',
    '2  bad input: no such folder, no summary.json or not a memgate summary, unwritable page',
    'A heap profile that cannot be read is left out with a warning on stderr; the exit code stays 0.',
  ],
}

/** The exit codes section of a command's help. */
export function exitCodesHelp(command: string): string {
  const lines = EXIT_CODES[command] ?? []
  return lines.length > 0 ? `EXIT CODES\n\n${lines.map((line) => `  ${line}`).join('\n')}\n` : ''
}
