// One 28x28 digit (bytes 0..255) drawn at any CSS size, pixels kept sharp.
import { useEffect, useRef } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { paintDigit } from '../digit-image';

export function DigitCanvas({ pixels, theme, label }: { pixels: Uint8Array; theme: Theme; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) paintDigit(ctx, pixels, theme, true);
  }, [pixels, theme]);
  return <canvas ref={ref} width={28} height={28} class="mn-digit-img" role="img" aria-label={label} />;
}
