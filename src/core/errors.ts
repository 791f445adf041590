import { SettingsError } from '../settings';
import { ValidationError } from './validation';

/**
 * Runs `fn`; a settings or props error is printed as its message alone (no stack trace) and the
 * process exits with status 1. Anything else is a bug and propagates with its stack trace.
 */
export function runOrExit(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettingsError || e instanceof ValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
