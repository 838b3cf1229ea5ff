/** Digits 0..9. */
export const CLASS_COUNT = 10;
