// The built-in course: fifteen lessons in order. Each lesson's content is its
// own data file, lessons/course/<id>.json (the documented lesson format);
// this list fixes their ids (?lesson=<id>), numbers and titles, so the tab
// bar, the builder and "next lesson" links know the course without loading
// every file.
import type { LabId } from '../labs';

export interface CatalogEntry {
  /** ?lesson= in a link, and the file's name. */
  id: string;
  /** 1-based position in the course. */
  number: number;
  title: string;
  /** The lab the lesson opens. */
  lab: LabId;
}

export const COURSE: readonly CatalogEntry[] = [
  { id: 'perceptron', number: 1, title: 'The perceptron', lab: 'playground' },
  { id: 'layer', number: 2, title: 'A layer of neurons', lab: 'playground' },
  { id: 'activations', number: 3, title: 'Activation functions', lab: 'playground' },
  { id: 'losses', number: 4, title: 'Loss functions', lab: 'playground' },
  { id: 'backprop', number: 5, title: 'Backpropagation on one example', lab: 'playground' },
  { id: 'sgd', number: 6, title: 'SGD and the learning rate', lab: 'playground' },
  { id: 'spiral', number: 7, title: 'A full network on the spiral', lab: 'playground' },
  { id: 'functions', number: 8, title: 'Function approximation', lab: 'playground' },
  { id: 'init', number: 9, title: 'Initialisation', lab: 'playground' },
  { id: 'overfitting', number: 10, title: 'Overfitting and regularisation', lab: 'playground' },
  { id: 'mnist', number: 11, title: 'MNIST with an MLP', lab: 'mnist' },
  { id: 'convolutions', number: 12, title: 'Convolutions', lab: 'mnist' },
  { id: 'recurrent', number: 13, title: 'Recurrent networks and vanishing gradients', lab: 'sequence' },
  { id: 'gans', number: 14, title: 'GANs', lab: 'gan' },
  { id: 'pytorch', number: 15, title: 'Compare with PyTorch', lab: 'playground' },
];

export function courseEntry(id: string): CatalogEntry | undefined {
  return COURSE.find((l) => l.id === id);
}
