// Calls onFile with the first file dropped anywhere on the page (a model file,
// for Load model). The page accepts the drag only when it carries files, so
// dragging text or links keeps the browser's own behaviour. The callback may
// change between renders; the latest one is called.
import { useEffect, useRef } from 'preact/hooks';

export function useFileDrop(onFile: (file: File) => void): void {
  const latest = useRef(onFile);
  latest.current = onFile;
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      latest.current(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => { window.removeEventListener('dragover', over); window.removeEventListener('drop', drop); };
  }, []);
}
