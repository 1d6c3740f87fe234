/**
 * A strict reader of the pickle in a torch checkpoint (data.pkl): it understands exactly what a
 * `state_dict` needs and nothing more. It builds plain values (None, bools, ints, floats, strings,
 * tuples, lists, dicts, OrderedDict), storage references (torch's persistent ids) and tensor
 * records (`torch._utils._rebuild_tensor_v2`); it calls nothing, imports nothing, and refuses any
 * other global by name (e.g. `os.system`) and every opcode that would build an arbitrary object.
 * No code in a checkpoint is ever run.
 */
import { AppError } from '../errors';
import { decodeUtf8 } from './source';
import type { DType } from './tensors';

/** torch storage classes -> the dtype of their elements. */
export const STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', DoubleStorage: 'F64', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
};

export interface StorageRef {
  kind: 'storage';
  dtype: DType;
  /** The storage's name in the zip: data/<key>. */
  key: string;
  /** Elements in the storage. */
  numel: number;
}

export interface TensorRecord {
  kind: 'tensor';
  storage: StorageRef;
  /** In elements. */
  storageOffset: number;
  shape: number[];
  strides: number[];
}

interface Global {
  kind: 'global';
  name: string;
}
class Tuple {
  constructor(readonly items: PickleValue[]) {}
}
class OrderedDictValue {
  readonly map = new Map<PickleValue, PickleValue>();
}
export type PickleValue = null | boolean | number | string | Tuple | PickleValue[] | Map<PickleValue, PickleValue> | OrderedDictValue | Global | StorageRef | TensorRecord;

const ALLOWED_CALLS = new Set(['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2']);
const MARK = Symbol('mark');

function refuse(message: string): never {
  throw new AppError('input-invalid', message, 'A state dict saved with torch.save(model.state_dict()) needs none of this. Download the checkpoint again from the model page.');
}

function corrupt(why: string): never {
  throw new AppError('file-corrupt', `The checkpoint's data.pkl is damaged: ${why}.`, 'Download the checkpoint again from the model page.');
}

function allowGlobal(name: string): Global {
  const dot = name.lastIndexOf('.');
  const [mod, attr] = [name.slice(0, dot), name.slice(dot + 1)];
  if (ALLOWED_CALLS.has(name) || (mod === 'torch' && Object.hasOwn(STORAGE_DTYPES, attr))) return { kind: 'global', name };
  refuse(`The checkpoint's pickle (data.pkl) names ${name}, which a state dict never needs: the file was refused and nothing in it was run.`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const ints = (v: PickleValue): number[] | null => (v instanceof Tuple && v.items.every(isInt) ? (v.items as number[]) : null);

function rebuildTensor(args: PickleValue): TensorRecord {
  const a = args instanceof Tuple ? args.items : [];
  const [storage, offset, size, stride] = a;
  const shape = size === undefined ? null : ints(size);
  const strides = stride === undefined ? null : ints(stride);
  if (a.length < 4 || !storage || typeof storage !== 'object' || !('kind' in storage) || storage.kind !== 'storage' || !isInt(offset) || !shape || !strides || shape.length !== strides.length) {
    corrupt('a _rebuild_tensor_v2 call has the wrong arguments');
  }
  if (offset < 0 || shape.some((d) => d < 0) || strides.some((s) => s < 0)) corrupt('a tensor has a negative size, stride or offset');
  return { kind: 'tensor', storage, storageOffset: offset, shape, strides };
}

function persistentLoad(pid: PickleValue): StorageRef {
  const t = pid instanceof Tuple ? pid.items : [];
  const [tag, cls, key, , numel] = t;
  if (tag !== 'storage' || !cls || typeof cls !== 'object' || !('kind' in cls) || cls.kind !== 'global' || typeof key !== 'string' || !isInt(numel) || numel < 0) {
    corrupt('a persistent id is not a torch storage reference');
  }
  const dtype = STORAGE_DTYPES[cls.name.slice('torch.'.length)];
  if (!dtype) refuse(`The checkpoint's pickle uses ${cls.name} as a storage type, which is not one.`);
  if (!/^[0-9A-Za-z_]+$/.test(key)) corrupt(`the storage key ${JSON.stringify(key)} is not a plain name`);
  return { kind: 'storage', dtype, key, numel };
}

/** Runs the pickle; returns the top-level value. Throws an AppError on anything a state dict does not need. */
export function unpickle(data: Uint8Array): PickleValue {
  const stack: (PickleValue | typeof MARK)[] = [];
  const memo = new Map<number, PickleValue>();
  let i = 0;
  const need = (n: number) => {
    if (i + n > data.length) corrupt('it ends in the middle of an instruction');
  };
  const u8 = () => (need(1), data[i++]);
  const u16 = () => (need(2), (i += 2), data[i - 2] | (data[i - 1] << 8));
  const u32 = () => (need(4), (i += 4), (data[i - 4] | (data[i - 3] << 8) | (data[i - 2] << 16)) + data[i - 1] * 2 ** 24);
  const bytes = (n: number) => (need(n), (i += n), data.subarray(i - n, i));
  const text = (n: number) => decodeUtf8(bytes(n)) ?? corrupt('a string is not valid UTF-8');
  const line = () => {
    const end = data.indexOf(0x0a, i);
    if (end < 0) corrupt('a GLOBAL name is not terminated');
    const s = decodeUtf8(data.subarray(i, end)) ?? corrupt('a GLOBAL name is not valid UTF-8');
    i = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) corrupt('an instruction found too few values on the stack');
    return v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) corrupt('a MARK is missing');
    const items = stack.splice(at) as (PickleValue | typeof MARK)[];
    return items.slice(1) as PickleValue[];
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) corrupt('an instruction found an empty stack');
    return v;
  };
  const setItems = (target: PickleValue, kv: PickleValue[]) => {
    const map = target instanceof OrderedDictValue ? target.map : target instanceof Map ? target : corrupt('SETITEM on something that is not a dict');
    for (let k = 0; k + 1 < kv.length; k += 2) map.set(kv[k], kv[k + 1]);
  };
  while (i < data.length) {
    const op = data[i++];
    switch (op) {
      case 0x80: { const p = u8(); if (p < 2 || p > 5) corrupt(`unsupported pickle protocol ${p}`); break; } // PROTO
      case 0x95: bytes(8); break; // FRAME
      case 0x2e: { const v = pop(); if (stack.length) corrupt('values are left on the stack at STOP'); return v; } // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new Tuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new Tuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new Tuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push(new Tuple([pop(), b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push(new Tuple([pop(), b, c])); break; } // TUPLE3
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x64: { const m = new Map(); setItems(m, popMark()); stack.push(m); break; } // DICT
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l)) corrupt('APPEND to a non-list'); l.push(v); break; } // APPEND
      case 0x65: { const vs = popMark(); const l = top(); if (!Array.isArray(l)) corrupt('APPENDS to a non-list'); l.push(...vs); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) corrupt(`memo entry ${k} is read before it is written`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: { const v = u32(); stack.push(v >= 2 ** 31 ? v - 2 ** 32 : v); break; } // BININT
      case 0x8a: { // LONG1
        const b = bytes(u8());
        if (b.length > 6) corrupt('an integer is too large');
        let v = 0;
        for (let k = b.length - 1; k >= 0; k--) v = v * 256 + b[k];
        if (b.length && b[b.length - 1] & 0x80) v -= 2 ** (8 * b.length);
        stack.push(v);
        break;
      }
      case 0x47: { const b = bytes(8); stack.push(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false)); break; } // BINFLOAT
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4e: stack.push(null); break; // NONE
      case 0x63: { const mod = line(); stack.push(allowGlobal(`${mod}.${line()}`)); break; } // GLOBAL
      case 0x93: { const name = pop(); const mod = pop(); if (typeof mod !== 'string' || typeof name !== 'string') corrupt('STACK_GLOBAL needs two strings'); stack.push(allowGlobal(`${mod}.${name}`)); break; } // STACK_GLOBAL
      case 0x51: stack.push(persistentLoad(pop())); break; // BINPERSID
      case 0x52: { // REDUCE: only the two allowed callables, interpreted here (never called)
        const args = pop();
        const f = pop();
        if (!f || typeof f !== 'object' || !('kind' in f) || f.kind !== 'global') corrupt('REDUCE on something that is not a global');
        if (f.name === 'collections.OrderedDict') {
          if (!(args instanceof Tuple) || args.items.length) corrupt('OrderedDict is built with arguments');
          stack.push(new OrderedDictValue());
        } else if (f.name === 'torch._utils._rebuild_tensor_v2') stack.push(rebuildTensor(args));
        else refuse(`The checkpoint's pickle calls ${f.name}, which a state dict never needs: the file was refused and nothing in it was run.`);
        break;
      }
      case 0x62: { // BUILD: only an OrderedDict's own state (torch's `_metadata`), which is ignored
        const state = pop();
        const target = top();
        if (!(target instanceof OrderedDictValue) || !(state instanceof Map || state === null)) refuse('The checkpoint\'s pickle sets the state of an object (BUILD) other than the state dict: refused.');
        break;
      }
      default:
        refuse(`The checkpoint's pickle uses opcode 0x${op.toString(16).padStart(2, '0')} (${OPCODE_NAMES[op] ?? 'unknown'}), which a state dict never needs: the file was refused and nothing in it was run.`);
    }
  }
  corrupt('it ends without STOP');
}

const OPCODE_NAMES: Record<number, string> = {
  0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x69: 'INST', 0x6f: 'OBJ', 0x50: 'PERSID', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT',
  0x67: 'GET', 0x70: 'PUT', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x31: 'POP_MARK', 0x30: 'POP', 0x32: 'DUP', 0x8b: 'LONG4',
};

/** The tensors of an unpickled state dict, in order; refuses anything else at the top level. */
export function stateDictTensors(value: PickleValue): [string, TensorRecord][] {
  const map = value instanceof OrderedDictValue ? value.map : value instanceof Map ? value : null;
  if (!map) refuse('The checkpoint does not hold a state dict (its top-level object is not a dict of tensors).');
  const out: [string, TensorRecord][] = [];
  for (const [k, v] of map) {
    if (typeof k !== 'string') refuse('The checkpoint\'s state dict has a key that is not a string.');
    if (!v || typeof v !== 'object' || !('kind' in v) || v.kind !== 'tensor') {
      const keys = [...map.keys()].filter((x): x is string => typeof x === 'string').slice(0, 5).join(', ');
      refuse(`The checkpoint is not a plain state dict: "${k}" is not a tensor (top-level keys: ${keys}…). The hub's open_clip_pytorch_model.bin is a plain state dict; a training checkpoint is not.`);
    }
    out.push([k, v]);
  }
  return out;
}
