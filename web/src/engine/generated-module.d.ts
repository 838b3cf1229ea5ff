// The Emscripten ES module built by `bash build.sh wasm` (not committed).
declare module '*/generated/nn.mjs' {
  import type { ModuleFactory } from './nn-wasm.js';
  const factory: ModuleFactory;
  export default factory;
}
