/** The only source of "now" in the code base; tests inject a fake one. */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
};
