import { render } from 'preact';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { startOfflineSupport } from './pwa/register';
import './styles/app.css';
import './styles/embed.css';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<ErrorBoundary where="page"><App /></ErrorBoundary>, root);
}

startOfflineSupport();
