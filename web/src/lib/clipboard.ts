// Copy text to the clipboard; false when the browser refuses (no permission,
// an insecure origin), so the caller shows the text to copy by hand instead.
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
