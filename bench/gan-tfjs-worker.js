// gan-tfjs-worker.js — the TensorFlow.js peer of the 2-D GAN benchmark (bench/gan-tfjs.mjs) in
// a dedicated browser worker (bench/gan-browser.mjs serves it beside the TF.js 4.22 UMD bundles
// and the repository's modules). A classic worker: the UMD bundles load with importScripts (the
// ES build of the wasm backend imports '@tensorflow/tfjs-core' by bare name, which a browser
// cannot resolve without a bundler); the workload is a module, imported dynamically.
// Message { backend: 'wasm' | 'cpu' | 'webgl', opt, loss, weights, seconds, warmupSeconds }
// -> { record } or { error }.
/* global tf, importScripts */
importScripts('tf.min.js', 'tf-backend-wasm.min.js');

async function useBackend(name) {
  if (name === 'wasm') {
    tf.wasm.setWasmPaths('./');
    // No SharedArrayBuffer here (the page is not cross-origin isolated): one thread, like the app.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  // Production mode skips TF.js's debug-time argument checks: the fastest TF.js (~20 % here).
  tf.enableProdMode();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: the ${name} backend did not initialise`);
  await tf.ready();
}

/** What draws a webgl backend's pixels (a software rasteriser in headless Chromium), or null. */
function renderer() {
  try {
    const gl = tf.backend().gpgpu?.gl;
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
  } catch {
    return null;
  }
}

self.onmessage = async (event) => {
  try {
    const msg = event.data;
    await useBackend(msg.backend);
    const { runTfjsRound } = await import('./gan-tfjs.mjs');
    const record = runTfjsRound(tf, msg);
    self.postMessage({ record: { backend: tf.getBackend(), tfjs: tf.version.tfjs, renderer: renderer(), ...record } });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
