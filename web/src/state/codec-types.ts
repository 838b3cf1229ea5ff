/** A value from a link (or a postMessage) that was not used, and why. */
export interface Rejection {
  /** The key as given (truncated, control characters removed). */
  key: string;
  /** The value as given (truncated, control characters removed). Show it as
   *  text, never as HTML. */
  value: string;
  /** Plain English, e.g. "must be a number from 0 to 50; the default 0 was kept". */
  reason: string;
}
