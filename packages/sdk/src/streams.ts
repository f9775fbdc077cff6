/** What a streamed request body may be made from: a file stream, a web stream, bytes or text. */
export type BodySource =
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Blob
  | Uint8Array
  | string;

/**
 * Options for an openapi-fetch call that sends `source` as it is read, never buffered whole
 * (a CSV import of any size): `raw.POST(path, { params, ...streamedBody(file, 'text/csv') })`.
 */
export function streamedBody(source: BodySource, contentType: string) {
  return {
    body: toWebStream(source) as never,
    bodySerializer: (body: unknown) => body as never,
    headers: { 'content-type': contentType },
    // Node's fetch sends a stream only half-duplex, and says so only when asked.
    duplex: 'half' as const,
  };
}

function toWebStream(source: BodySource): ReadableStream<Uint8Array> | Blob | Uint8Array | string {
  if (
    typeof source === 'string' ||
    source instanceof Uint8Array ||
    (typeof Blob !== 'undefined' && source instanceof Blob) ||
    source instanceof ReadableStream
  ) {
    return source;
  }
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
