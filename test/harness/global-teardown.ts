const state = globalThis as typeof globalThis & { __rongmeiHarnessStops?: Array<() => Promise<void>> };

/** Stops what globalSetup started, newest first. */
export default async function globalTeardown(): Promise<void> {
  const stops = state.__rongmeiHarnessStops ?? [];
  for (const stop of stops.reverse()) await stop();
  state.__rongmeiHarnessStops = [];
}
