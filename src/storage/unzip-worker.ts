/// <reference lib="webworker" />
/**
 * The unzip worker: a .zip picked for import is checked and inflated here, off the main thread,
 * with the caps of core/zip.ts (entry count, names, declared sizes before inflating; real output
 * while inflating). One request per worker; the page ends the worker when it has the reply, which
 * frees whatever it held.
 */
import { AppError, toWireError } from '../core/errors';
import { MAX_MANIFEST_BYTES } from '../core/manifest';
import { findManifestPath, formatBytes, inflateEntry, listZip, type ReadAt, type ZipEntry } from '../core/zip';
import type { UnzipCalls, UnzipMessage, UnzipRequest } from './unzip-protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: UnzipMessage) => self.postMessage(m);
const readerOf = (zip: File): ReadAt => async (offset, length) => new Uint8Array(await zip.slice(offset, offset + length).arrayBuffer());

/** Output is gathered in parts of this size, so the small inflate chunks can be freed as it goes. */
const PART = 8 * 1024 * 1024;

async function unpack(zip: File, entry: ZipEntry, limit?: number): Promise<Blob> {
  const parts: Blob[] = [];
  let chunks: Uint8Array<ArrayBuffer>[] = [];
  let held = 0;
  await inflateEntry(readerOf(zip), zip.size, entry, zip.name, (c) => {
    chunks.push(c.slice());
    held += c.length;
    if (held >= PART) {
      parts.push(new Blob(chunks));
      chunks = [];
      held = 0;
    }
  }, limit);
  parts.push(new Blob(chunks));
  return new Blob(parts);
}

async function open({ zip }: UnzipCalls['open']['request']): Promise<UnzipCalls['open']['reply']> {
  const entries = (await listZip(readerOf(zip), zip.size, zip.name)).filter((e) => !e.name.endsWith('/'));
  const path = findManifestPath(entries.map((e) => e.name));
  if (!path) throw new AppError('manifest-invalid', `"${zip.name}" contains no manifest.json, so it is not a model bundle.`, 'Choose a .zip of the bundle folder (the one with manifest.json).');
  const entry = entries.find((e) => e.name === path)!;
  if (entry.size > MAX_MANIFEST_BYTES) throw new AppError('manifest-invalid', `"${zip.name}" was refused: its ${path} declares ${formatBytes(entry.size)}; a bundle manifest is at most ${formatBytes(MAX_MANIFEST_BYTES)}, so this is not one.`);
  const bytes = await (await unpack(zip, entry, MAX_MANIFEST_BYTES)).arrayBuffer();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('manifest-invalid', `${path} in "${zip.name}" is not UTF-8 text, so it is not a bundle manifest.`);
  }
  return { entries: entries.map((e) => ({ path: e.name, size: e.size })), manifest: { path, text } };
}

async function extract({ zip, paths }: UnzipCalls['extract']['request']): Promise<UnzipCalls['extract']['reply']> {
  const byName = new Map((await listZip(readerOf(zip), zip.size, zip.name)).map((e) => [e.name, e]));
  const files: { path: string; data: Blob }[] = [];
  for (const [i, path] of paths.entries()) {
    const entry = byName.get(path);
    if (!entry) throw new AppError('manifest-invalid', `"${zip.name}" has no entry ${path}.`);
    post({ type: 'progress', path, done: i, total: paths.length });
    files.push({ path, data: await unpack(zip, entry) });
  }
  return { files };
}

self.onmessage = async (e: MessageEvent<UnzipRequest>) => {
  const req = e.data;
  try {
    if (req.type === 'open') post({ type: 'reply', call: 'open', ok: true, result: await open(req) });
    else post({ type: 'reply', call: 'extract', ok: true, result: await extract(req) });
  } catch (err) {
    post({ type: 'reply', ok: false, error: toWireError(err) });
  }
};
