// The playground lab's page: its state hook, the course-page API and the
// share bar around the Playground layout.
import { useEffect, useState } from 'preact/hooks';
import type { LabPageProps } from '../types';
import { Playground } from './Playground';
import { initialStateOf, usePlayground } from './usePlayground';
import { ShareBar } from '../../app/ShareBar';
import { useEmbedApi } from '../../app/embedApi';

export default function PlaygroundPage({ theme, active, link }: LabPageProps) {
  const [initial] = useState(() => initialStateOf(link));
  const pg = usePlayground(initial, active);
  useEmbedApi(pg);
  // One training job at a time on small machines: leaving the tab pauses.
  useEffect(() => { if (!active && pg.run.running) pg.actions.pause(); }, [active]);
  return <Playground pg={pg} theme={theme} active={active} shareBar={<ShareBar pg={pg} />} />;
}
