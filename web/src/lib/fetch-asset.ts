// Fetching the data assets the build writes (MNIST, the sequence texts):
// one message for a failed download, and gzip that is inflated only when the
// bytes still are gzip. The build avoids ".gz" names, but a server that adds
// `Content-Encoding: gzip` anyway makes the browser hand over inflated bytes.

/** `fetch` that throws a sentence naming `what` for a network error or an HTTP error status. */
export async function fetchOk(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`could not download the ${what} (${err instanceof Error ? err.message : String(err)}); check the connection to the page's server`);
  }
  if (!res.ok) {
    const hint = res.status === 404 ? ': the asset is built by "bash build.sh web"' : '';
    throw new Error(`the ${what} answered HTTP ${res.status} ${res.statusText}${hint}`);
  }
  return res;
}

/** The body with its first chunk read to see whether it is gzip (magic bytes 1f 8b); `body` still yields every byte. */
export async function peekGzip(res: Response, what: string): Promise<{ body: ReadableStream<Uint8Array>; gzipped: boolean }> {
  if (!res.body) throw new Error(`the ${what} download has no body`);
  const reader = res.body.getReader();
  const first = await reader.read();
  if (first.done || first.value.length < 2) throw new Error(`the ${what} download is empty`);
  const body = new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(first.value); },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
  return { body, gzipped: first.value[0] === 0x1f && first.value[1] === 0x8b };
}

/** `stream` inflated (browsers without DecompressionStream get a sentence, not a TypeError). */
export function gunzip(stream: ReadableStream<Uint8Array>, what: string): ReadableStream<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') throw new Error(`this browser cannot inflate the ${what} (no DecompressionStream)`);
  return stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}
