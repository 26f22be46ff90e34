/**
 * Imported first by the synth entry points (main.ts, scripts/bench-synth-run.ts), for its side effect, before any
 * module that creates constructs is loaded: cdktf records a full stack trace for every token it creates, and under
 * tsx each of those is source-mapped, about a fifth of a synth's time (measured with `npm run bench`). Source maps
 * are therefore off, unless PLATFORM_DEBUG=1, which gives an unexpected error's stack trace TypeScript line numbers.
 */
if (process.env.PLATFORM_DEBUG !== '1') process.setSourceMapsEnabled(false);

export {};
