// builder.html's entry: the embed builder for course authors.
import { render } from 'preact';
import { Builder } from './Builder';
import { ErrorBoundary } from '../app/ErrorBoundary';
import '../styles/app.css';
import './builder.css';

// The builder itself follows the reader's theme; the theme it sets is the embed's.
const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
document.documentElement.dataset.theme = dark ? 'dark' : 'light';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<ErrorBoundary where="embed builder"><Builder /></ErrorBoundary>, root);
}
