/**
 * A value now, or later. Credential verification answers from memory on the
 * hot path; returning that answer synchronously, rather than wrapping it in
 * promises at every layer, is a measurable share of a request's cost.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` now when `value` is already here, else when it arrives. */
export function thenMaybe<T, R>(value: MaybePromise<T>, next: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
