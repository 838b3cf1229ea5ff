// Types for asset-format.js (plain JS so Node scripts and tests share it).

export declare const ASSET_MAGIC: number;
export declare const ASSET_VERSION: number;
export declare const ASSET_HEADER_BYTES: number;
export declare const MNIST_CLASSES: number;

export interface AssetHeader {
  version: number;
  nTrain: number;
  nTest: number;
  rows: number;
  cols: number;
  classes: number;
}

export interface AssetLayout {
  /** rows * cols */
  pixels: number;
  trainPixels: number;
  trainLabels: number;
  testPixels: number;
  testLabels: number;
  totalBytes: number;
}

export interface IdxFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export interface DecodedAsset {
  header: AssetHeader;
  trainPixels: Uint8Array;
  trainLabels: Uint8Array;
  testPixels: Uint8Array;
  testLabels: Uint8Array;
}

export declare function parseIdx(bytes: Uint8Array, expectedMagic: number, name?: string): { dims: number[]; data: Uint8Array };
export declare function buildAsset(idx: IdxFiles): Uint8Array;
export declare function assetLayout(h: Pick<AssetHeader, 'nTrain' | 'nTest' | 'rows' | 'cols'>): AssetLayout;
export declare function readAssetHeader(bytes: Uint8Array): AssetHeader;
export declare function decodeAsset(bytes: Uint8Array): DecodedAsset;
