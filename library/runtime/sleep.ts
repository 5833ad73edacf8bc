/** Waiting, injected so tests never wait for real time (they record the delays instead). */
export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => {
  setTimeout(resolve, Math.max(0, milliseconds));
});

/** A source of randomness in [0, 1), injected for jitter. */
export type Random = () => number;
