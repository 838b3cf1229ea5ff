// Input feature toggles (at least one stays on).

import type { Config, Feature } from '../../state/config';
import { FEATURES } from '../../data/features';

export interface FeaturesPanelProps {
  features: Feature[];
  disabled: boolean;
  oneD: boolean;
  onChange(features: Feature[]): void;
}

export function FeaturesPanel({ features, disabled, oneD, onChange }: FeaturesPanelProps) {
  const toggle = (f: Feature) => {
    const on = features.includes(f);
    if (on && features.length === 1) return; // the network needs an input
    // Keep the canonical order so links and exported scripts read naturally.
    const next = FEATURES.map((x) => x.id).filter((id) => (id === f ? !on : features.includes(id)));
    onChange(next);
  };
  return (
    <section class="panel features-panel" aria-label="input features">
      <h2 class="panel-title">Features</h2>
      <div class="feature-buttons" role="group" aria-label="input features">
        {FEATURES.map((f) => {
          const useless = oneD && /x2/.test(f.id);
          return (
            <button type="button" key={f.id} class="chip" aria-pressed={features.includes(f.id)} disabled={disabled}
                    data-testid={`feature-${f.id}`} title={useless ? 'x₂ is 0 on 1-D data sets' : undefined}
                    onClick={() => toggle(f.id)}>{f.label}</button>
          );
        })}
      </div>
    </section>
  );
}

export type { Config };
