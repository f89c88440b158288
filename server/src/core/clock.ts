/**
 * The source of "now" for business rules (check-in windows, coupon expiry, daily caps). Services take a
 * Clock instead of calling `new Date()` so tests can move time deterministically.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** A clock tests drive by hand: starts at a fixed instant and moves only when told. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-05T02:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
