/**
 * Free an ArrayBuffer's memory now, rather than at some later garbage collection that an idle page
 * (or worker) may not run for minutes. In Chromium a buffer's bytes can be held twice over: V8's
 * ArrayBuffer and Blink's own wrapper of it; `ArrayBuffer.prototype.transfer(0)` detaches only V8's
 * side (BENCHMARKS.md, attempt 29). A transfer through postMessage moves Blink's contents: into a
 * channel closed at once, whose undelivered message is dropped. The buffer is detached afterwards:
 * only for bytes nothing reads again.
 */
export function dropBuffer(b: ArrayBufferLike): void {
  if (!(b instanceof ArrayBuffer) || b.byteLength === 0) return;
  const { port1, port2 } = new (globalThis as unknown as { MessageChannel: new () => Channel }).MessageChannel();
  port1.postMessage(null, [b]);
  port1.close();
  port2.close();
}

/** The part of the web's MessageChannel used here (core/ is typed without the DOM library). */
interface Channel {
  port1: { postMessage(message: null, transfer: ArrayBuffer[]): void; close(): void };
  port2: { close(): void };
}
