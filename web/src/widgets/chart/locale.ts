// uPlot builds an Intl.NumberFormat from navigator.language as its module
// loads. A WebKitGTK browser started under a POSIX locale (LANG=C) reports
// "C", which Intl rejects with a RangeError, and that throw took down every
// page with a chart. Imported before uPlot: where the browser's language is
// not a valid BCP 47 tag, the page reports "en-US" (uPlot's own choice
// outside a browser) instead.

/** True when Intl accepts `tag` as a language tag. */
export function isValidLanguageTag(tag: unknown): boolean {
  if (typeof tag !== 'string' || tag === '') return false;
  try {
    Intl.getCanonicalLocales(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== 'undefined' && !isValidLanguageTag(navigator.language)) {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
}
