import { MemgateError } from '@memgate/core'

/** The codes of {@link CliError}: stable across versions, like every memgate error's `MEMGATE_*` code. */
export type CliErrorCode =
  | 'MEMGATE_BAD_CAPTURE'
  | 'MEMGATE_BAD_SUMMARY'
  | 'MEMGATE_MISSING_VALUE'
  | 'MEMGATE_NO_CAPTURE'
  | 'MEMGATE_NO_DIAGNOSIS'
  | 'MEMGATE_NO_DIR'
  | 'MEMGATE_NO_SCRIPT'
  | 'MEMGATE_NO_SUMMARY'
  | 'MEMGATE_OUTPUT'
  | 'MEMGATE_SUMMARY_VERSION'
  | 'MEMGATE_UNKNOWN_COMMAND'
  | 'MEMGATE_UNKNOWN_OPTION'
  | 'MEMGATE_WRITE'

/** A failure the user can fix; the CLI prints its message (no stack) and exits with `exitCode`. */
export class CliError extends MemgateError {
  declare readonly code: CliErrorCode
  readonly exitCode: number

  constructor(code: CliErrorCode, message: string, exitCode = 2) {
    super(code, message)
    this.exitCode = exitCode
  }
}
