/**
 * Writes a bundle's graph and weights files from a checkpoint, file by file, as a stream of
 * chunks: each tensor is read from the checkpoint when its turn comes, made into the variant's
 * bytes (recipes.ts) and handed on; nothing is held longer than its file needs it. A weights file
 * is its layout's writes at their offsets with zeros between; a graph file is its shipped
 * skeleton with the inline initializers written in place.
 *
 * Ownership: every chunk yielded owns its whole ArrayBuffer and is never touched again here, so
 * the caller may transfer it to another thread.
 */
import { AppError } from '../errors';
import type { ConvertLayout, DerivedPart, LayoutFile, LayoutWrite } from './layout';
import { quantizeFor, recipeBytes, recipeFamily, transpose, type Quantized } from './recipes';
import type { ByteSource } from './source';
import { readTensorF32, type CheckpointIndex } from './tensors';

/** Small pieces are gathered into chunks of about this size; a larger piece is a chunk of its own. */
const CHUNK = 4 << 20;

export class BundleAssembler {
  private made: { id: string; value: Quantized } | null = null;

  constructor(
    private readonly src: ByteSource,
    private readonly index: CheckpointIndex,
    readonly layout: ConvertLayout,
  ) {}

  /** A state-dict tensor (or a derived one, from its parts) as float32 (widened), refused when it holds NaN or infinity. */
  async tensor(key: string): Promise<Float32Array> {
    const parts = this.layout.derived && Object.hasOwn(this.layout.derived, key) ? this.layout.derived[key] : null;
    if (parts) return this.derived(parts);
    const info = this.index.tensors.get(key);
    if (!info) throw new AppError('input-invalid', `The checkpoint has no tensor ${key}.`);
    const a = await readTensorF32(this.src, info);
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new AppError('input-invalid', `Tensor ${key} of the checkpoint holds NaN or infinite values: it is damaged.`, 'Download the checkpoint again from the model page.');
    }
    return a;
  }

  /** A derived tensor: its parts (a tensor flattened, one row of a 2-D tensor, zeros) one after another. */
  private async derived(parts: readonly DerivedPart[]): Promise<Float32Array> {
    const pieces: Float32Array[] = [];
    for (const p of parts) {
      if ('zeros' in p) {
        pieces.push(new Float32Array(p.zeros));
        continue;
      }
      const whole = await this.tensor(p.key);
      if (p.row === undefined) pieces.push(whole);
      else {
        const cols = this.layout.tensors[p.key][1];
        pieces.push(whole.subarray(p.row * cols, (p.row + 1) * cols));
      }
    }
    const out = new Float32Array(pieces.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of pieces) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  }

  /** The model's learned exp(logit_scale) (informational, as the toolchain's manifest records it). */
  async modelLogitScale(): Promise<number> {
    const v = (await this.tensor('logit_scale'))[0];
    return Math.round(Math.exp(v) * 1e4) / 1e4;
  }

  /** torch's exporter merged tensors of equal value into one initializer: they must be equal here too. */
  async checkEqualGroups(): Promise<void> {
    for (const [first, ...rest] of this.layout.equal) {
      const a = await this.tensor(first);
      for (const k of rest) {
        const b = await this.tensor(k);
        if (b.length !== a.length || b.some((x, i) => x !== a[i])) {
          throw new AppError('input-invalid', `This architecture's graphs were built for tensors ${first} and ${k} being equal, and in this checkpoint they are not.`, 'This happens only with the test fixtures\' graphs; a real checkpoint uses the real-size graphs.');
        }
      }
    }
  }

  private async source(w: LayoutWrite): Promise<{ data: Float32Array; rows: number; cols: number }> {
    const data = await this.tensor(w.key);
    const shape = Object.hasOwn(this.layout.tensors, w.key) ? this.layout.tensors[w.key] : [data.length];
    if (!w.transpose) return { data, rows: shape.length === 2 ? shape[0] : 1, cols: shape.length === 2 ? shape[1] : data.length };
    return { data: transpose(data, shape[0], shape[1]), rows: shape[1], cols: shape[0] };
  }

  /** The bytes of one write (a fresh buffer the caller may keep or transfer). */
  async piece(w: LayoutWrite): Promise<Uint8Array> {
    const family = recipeFamily(w.recipe);
    const id = `${w.key}|${w.transpose}|${family}`;
    let made = this.made?.id === id ? this.made.value : null;
    const detached = made && !(made instanceof Float32Array) && Object.values(made).some((a: ArrayBufferView) => a.buffer.byteLength === 0);
    if (!made || detached || made instanceof Float32Array) {
      const s = await this.source(w);
      made = quantizeFor(w.recipe, s.data, s.rows, s.cols);
      // f32 / f16 sources are used once; a quantization's parts (q, scale, ...) are asked for in turn.
      this.made = made instanceof Float32Array ? null : { id, value: made };
    }
    const bytes = recipeBytes(w.recipe, made);
    if (bytes.byteLength !== w.length) throw new AppError('internal', `Converter: ${w.name} came out as ${bytes.byteLength} bytes, the layout says ${w.length}.`);
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  }

  /** One output file as chunks, in order. `skeleton`: the shipped graph (graph files only). */
  async *file(file: LayoutFile, skeleton?: Uint8Array): AsyncGenerator<Uint8Array> {
    this.made = null;
    if (file.kind === 'graph') {
      if (!skeleton || skeleton.byteLength !== file.bytes) throw new AppError('internal', `Converter: the shipped graph ${file.name} is missing or has the wrong size.`);
      const out = skeleton.slice();
      for (const w of file.writes) out.set(await this.piece(w), w.offset);
      yield out;
      return;
    }
    let buf = new Uint8Array(CHUNK); // zero-filled: padding between writes is already in place
    let used = 0;
    let at = 0; // file offset of buf[0]
    for (const w of [...file.writes].sort((a, b) => a.offset - b.offset)) {
      const bytes = await this.piece(w);
      if (w.offset + bytes.byteLength - at <= CHUNK) {
        buf.set(bytes, w.offset - at);
        used = w.offset + bytes.byteLength - at;
        continue;
      }
      if (used > 0) yield buf.slice(0, used);
      at += used;
      buf = new Uint8Array(CHUNK);
      used = 0;
      if (w.offset > at) yield new Uint8Array(w.offset - at);
      at = w.offset;
      if (bytes.byteLength >= CHUNK) {
        at += bytes.byteLength; // before the yield: the caller may transfer (detach) the chunk
        yield bytes;
      } else {
        buf.set(bytes, 0);
        used = bytes.byteLength;
      }
    }
    if (used > 0) yield buf.slice(0, used);
    if (file.bytes > at + used) yield new Uint8Array(file.bytes - at - used);
  }
}
