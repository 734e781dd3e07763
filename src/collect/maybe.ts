// Values that are ready now or later. The /proc readers answer synchronously; going through a
// promise per section would cost more than reading the file (microtasks, async frames, cold at
// a 1 Hz poll), so the collector only waits where a reader really is asynchronous.

export type MaybePromise<T> = T | Promise<T>;

/** `fn(value)` now when the value is ready, else once it is; a promise `fn` returns is passed on. */
export function andThen<T, U>(
  value: MaybePromise<T>,
  fn: (value: T) => MaybePromise<U>,
): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** Every value: at once when all are ready, else a promise of them all. */
export function allOf<T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as T[]);
}
