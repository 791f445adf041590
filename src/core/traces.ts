/**
 * cdktf records a complete stack trace for every token it creates (every attribute reference,
 * `Lazy` value and function call), only to quote it if that token later fails to resolve. For this
 * app that is about a tenth of synth time and of the unit tests. `skipTokenTraces()` makes the
 * recorder return an empty trace; errors still name the token and the construct path. Set
 * `CDKTF_TOKEN_TRACES=1` to keep the traces when debugging a token that does not resolve.
 */

/** Stops cdktf recording a stack trace per token, unless `CDKTF_TOKEN_TRACES=1`; returns whether it did. */
export function skipTokenTraces(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CDKTF_TOKEN_TRACES === '1') return false;
  // Every caller reads the export at call time (`(0, stack_trace_1.captureStackTrace)()`).
  const recorder = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: unknown) => string[] };
  recorder.captureStackTrace = () => [];
  return true;
}
