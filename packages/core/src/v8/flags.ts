/** The flags this process was started with: its command line's and those in `NODE_OPTIONS`. */
export function startFlags(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
}

/** Whether the process was started with the V8 flag `flag` (`--turbo-inlining`), in either spelling. */
export function startedWith(flag: string): boolean {
  return startFlags().some((own) => own.replaceAll('_', '-') === flag)
}
