// The playground's configuration: everything a shared link reproduces.
// Run state (epoch, losses, weights being trained) never lives here.
// The schema, defaults and the URL codec (codec.ts) are built from this file.

export type Activation = 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'linear';
export type Feature = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';
export type Optimizer = 'sgd' | 'momentum' | 'adam';
export type Regularization = 'none' | 'l1' | 'l2';
export type Theme = 'light' | 'dark';
/** How the weights start: seeded random (the core's initialisation) or all zeros. */
export type WeightInit = 'random' | 'zeros';

/** 2-D classification sets (binary or multi-class), 2-D regression surfaces,
 *  1-D regression curves, and the user's own drawn points. */
export type DatasetId =
  | 'circle' | 'xor' | 'gauss' | 'spiral' | 'moons' | 'checker'   // 2 classes
  | 'and' | 'or' | 'nand'                                         // logic gates, 2 classes
  | 'blobs3' | 'spiral3' | 'blobs4'                               // 3 and 4 classes
  | 'plane' | 'multigauss'                                        // 2-D regression
  | 'square1d' | 'abs1d' | 'sin1d'                                // 1-D regression: x², |x|, 3·sin x
  | 'custom';                                                     // drawn by the user

export type Task = 'binary' | 'multiclass' | 'regression';

export interface Config {
  dataset: DatasetId;
  /** Noise in percent, 0..50. */
  noise: number;
  /** Share of points used for training, percent, 10..90. */
  trainRatio: number;
  /** Seed of the data generator (integer 0..2^31-1). */
  dataSeed: number;
  /** Hidden layer widths: 0..8 layers of 1..64 units. */
  hidden: number[];
  /** One activation per hidden layer (same length as hidden). */
  activations: Activation[];
  /** Input features fed to the network, at least one. For 1-D sets only
   *  x1-based features are meaningful. */
  features: Feature[];
  optimizer: Optimizer;
  /** 1e-5..10 */
  learningRate: number;
  /** Momentum factor / Adam beta1, 0..0.999. */
  momentum: number;
  regularization: Regularization;
  /** 0..10 */
  regRate: number;
  /** 1..256 */
  batchSize: number;
  /** Seed of the weight initialisation (integer 0..2^31-1). */
  seed: number;
  /** random (seeded) or zeros. */
  init: WeightInit;
  showTestData: boolean;
  /** Draw the output map as hard classes instead of a continuous heatmap. */
  discretize: boolean;
  /** Class selected for drawing custom points (0..3). */
  drawClass: number;
}
