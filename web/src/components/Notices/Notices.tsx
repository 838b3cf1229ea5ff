// Messages the user must see: values a link carried that were not used,
// divergence advice, engine restarts and failures. Every one is dismissible
// except a fatal error, which explains what still works.

import type { Rejection } from '../../state/codec';

export interface NoticesProps {
  rejected: Rejection[];
  message: { kind: 'diverged' | 'error' | 'info'; text: string } | null;
  fatal: string | null;
  note: string | null;
  onDismissRejected(): void;
  onDismissMessage(): void;
}

export function Notices(p: NoticesProps) {
  return (
    <div class="notices">
      {p.fatal && (
        <div class="notice fatal" role="alert" data-testid="fatal">
          <strong>The training engine is not available.</strong> {p.fatal}
        </div>
      )}
      {p.rejected.length > 0 && (
        <div class="notice warn" role="status" data-testid="rejected">
          <div>
            <strong>Some settings in the link were not used:</strong>
            <ul>
              {p.rejected.slice(0, 20).map((r, i) => (
                <li key={i}><code>{r.key}{r.value !== '' ? `=${r.value}` : ''}</code> {r.reason}</li>
              ))}
              {p.rejected.length > 20 && <li>… and {p.rejected.length - 20} more.</li>}
            </ul>
          </div>
          <button type="button" class="dismiss" onClick={p.onDismissRejected} aria-label="dismiss">×</button>
        </div>
      )}
      {p.message && (
        <div class={`notice ${p.message.kind === 'info' ? 'info' : 'warn'}`} role="alert" data-testid={`message-${p.message.kind}`}>
          <div>{p.message.text}</div>
          <button type="button" class="dismiss" onClick={p.onDismissMessage} aria-label="dismiss">×</button>
        </div>
      )}
      {p.note && <div class="notice info" role="status">{p.note}</div>}
    </div>
  );
}
