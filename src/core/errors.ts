/**
 * An error the user can act on (a bad setting or a bad construct prop): printed as its message
 * alone, with exit status 1. `SettingsError` and `ValidationError` extend it.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * Runs `fn`; a `UserError` is printed as its message alone (no stack trace) and the process exits
 * with status 1. Anything else is a bug and propagates with its stack trace.
 */
export function runOrExit(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
