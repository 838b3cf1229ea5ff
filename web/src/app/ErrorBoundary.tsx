// Never a blank page: a render error shows what happened and a way out.

import { Component, type ComponentChildren } from 'preact';

interface Props { children: ComponentChildren; where: string }
interface State { error: Error | null }

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div class="notice fatal crash" role="alert" data-testid="crash">
        <p><strong>Something went wrong in the {this.props.where}.</strong></p>
        <p>{error.message}</p>
        <p>
          <button type="button" class="btn-text" onClick={() => this.setState({ error: null })}>Try again</button>{' '}
          <button type="button" class="btn-text" onClick={() => location.assign(location.pathname)}>Start over with default settings</button>
        </p>
      </div>
    );
  }
}
