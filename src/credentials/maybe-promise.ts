/**
 * A value now, or later. Credential verification answers from memory on the
 * hot path; returning that answer synchronously, rather than wrapping it in
 * promises at every layer, is a measurable share of a request's cost.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` now when `value` is already here, else when it arrives. */
export function thenMaybe<T, R>(value: MaybePromise<T>, next: (value: T) => R): MaybePromise<R> {
  // Any thenable, not only this realm's Promise: mistaking one for a value would hand `next` a promise.
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value);
}

function isThenable<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
