// "A new version is ready": a small notice in a corner, never in the way of
// the lab, with the one button that applies the update.

export interface UpdateNoticeProps {
  onReload(): void;
  onDismiss(): void;
}

export function UpdateNotice({ onReload, onDismiss }: UpdateNoticeProps) {
  return (
    <div class="notice info update-notice" role="status" data-testid="update-ready">
      <div>
        <strong>A new version is ready.</strong> Reloading applies it; a training in progress stops.
      </div>
      <button type="button" class="btn-text" data-testid="update-reload" onClick={onReload}>Reload</button>
      <button type="button" class="dismiss" aria-label="Not now" onClick={onDismiss}>×</button>
    </div>
  );
}
