import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { Readable } from 'node:stream'
import { getHeapStatistics } from 'node:v8'

/** What the hooks tell the pacer about the allocations they see. */
export interface Allocations {
  /** Called before an allocation of `bytes`, when the hook can size it in advance. */
  before(bytes: number): void
  /** Called after an allocation of `bytes` (0 when it failed). */
  after(bytes: number): void
}

type Method = (this: unknown, ...args: unknown[]) => unknown

/** Replaced properties of global objects, and how to put each back. */
export class Hooks {
  private readonly undo: (() => void)[] = []
  private active = true

  /** Whether the hooks still pace: a hook a user's spy kept alive past `restore()` then only calls through. */
  get pacing(): boolean {
    return this.active
  }

  /** Replaces `owner[key]` with what `make` builds from the original; a property that is missing stays so. */
  replace(owner: object, key: string, make: (original: never) => unknown): void {
    const slots = owner as Record<string, unknown>
    const original = slots[key]
    if (original === undefined) return
    const replacement = make(original as never)
    slots[key] = replacement
    this.undo.push(() => {
      // A user's spy installed over the hook during the span stays; the hook under it goes inert.
      if (slots[key] === replacement) slots[key] = original
    })
  }

  /** Runs `undo` when the hooks are restored, after the properties replaced from now on are put back. */
  onRestore(undo: () => void): void {
    this.undo.push(undo)
  }

  /** Puts back every replaced property, the last replaced first. */
  restore(): void {
    this.active = false
    for (const undo of this.undo.reverse()) undo()
    this.undo.length = 0
  }
}

/**
 * Sizes an allocation: before it from the call's receiver and arguments, after it from its result, or (`after`
 * absent) by what external memory grew by across the call, for results that hold typed arrays deep inside.
 */
interface Sizes {
  before?(self: unknown, args: unknown[]): number | undefined
  after?(result: unknown): number
}

// Set while a hooked call runs: what it allocates through other hooks (`Buffer.concat` calls `allocUnsafe`)
// is counted once.
let inside = false

/** Wraps `original` so that the pacer hears of what it allocates. Keeps the original's name and arity. */
function paced(hooks: Hooks, allocations: Allocations, original: Method, sizes: Sizes): Method {
  const name = original.name
  const wrapper = {
    [name](this: unknown, ...args: unknown[]): unknown {
      if (inside || !hooks.pacing) return original.apply(this, args)
      inside = true
      const external = sizes.after ? 0 : readExternal()
      let bytes = 0
      try {
        const expected = sizes.before?.(this, args)
        if (expected !== undefined) allocations.before(expected)
        const result = original.apply(this, args)
        bytes = sizes.after ? sizes.after(result) : Math.max(0, readExternal() - external)
        return result
      } finally {
        inside = false
        allocations.after(bytes)
      }
    },
  }[name] as Method
  Object.defineProperty(wrapper, 'length', { value: original.length })
  return wrapper
}

const readExternal = () => getHeapStatistics().external_memory

const viewBytes = (value: unknown) => (ArrayBuffer.isView(value) ? value.byteLength : 0)
const bufferBytes = (value: unknown): number =>
  isArrayBuffer(value) ? bufferByteLength.call(value) : viewBytes(value)

/** Counts the Buffers made by `Buffer`'s factories and the chunks pushed into any `Readable`. */
export function hookBuffers(hooks: Hooks, allocations: Allocations): void {
  const sized: Sizes = {
    before: (_, [size]) => (typeof size === 'number' ? size : undefined),
    after: viewBytes,
  }
  for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
    hooks.replace(Buffer, key, (original: Method) => paced(hooks, allocations, original, sized))
  }
  hooks.replace(Buffer, 'from', (original: Method) =>
    paced(hooks, allocations, original, { after: viewBytes }),
  )
  hooks.replace(Buffer, 'concat', (original: Method) =>
    paced(hooks, allocations, original, {
      before: (_, [list, total]) => (typeof total === 'number' ? total : listBytes(list)),
      after: viewBytes,
    }),
  )
  hooks.replace(
    Readable.prototype,
    'push',
    (original: Method) =>
      function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        if (hooks.pacing) allocations.after(viewBytes(chunk))
        return original.call(this, chunk, ...rest)
      },
  )
}

function listBytes(list: unknown): number | undefined {
  if (!Array.isArray(list)) return undefined
  let total = 0
  for (const item of list) total += viewBytes(item)
  return total
}

// The intrinsic getters, so that sizing a call runs no code of the user's (a subclass may override `length`).
// They read the internal slots of a typed array or buffer of any realm.
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object
const intrinsic = (owner: object, key: string) =>
  Object.getOwnPropertyDescriptor(owner, key)?.get as (this: unknown) => number
const typedByteLength = intrinsic(TypedArrayPrototype, 'byteLength')
const typedLength = intrinsic(TypedArrayPrototype, 'length')
const bufferByteLength = intrinsic(ArrayBuffer.prototype, 'byteLength')
const isTypedArray = (value: unknown) => ArrayBuffer.isView(value) && !(value instanceof DataView)
const isArrayBuffer = (value: unknown) => {
  try {
    bufferByteLength.call(value)
    return true
  } catch {
    return false
  }
}

/**
 * The `%TypedArray%.prototype` and `ArrayBuffer.prototype` objects the measured code reaches through this
 * realm's globals: more than one pair in a vm context whose globals mix realms (Vitest's vm pools give the
 * test the outer `Uint8Array`, which `Buffer` extends, beside the context's own `Float64Array`).
 */
function copyPrototypes(): { typedArrays: Set<object>; buffers: Set<object> } {
  // Found once per realm: a measurement's start is on every measured test's path.
  const key = (globalThis as { Float64Array?: unknown }).Float64Array
  const found = foundPrototypes
  if (found && found.key === key) return found
  const made = { key, ...findPrototypes() }
  foundPrototypes = made
  return made
}

let foundPrototypes: { key: unknown; typedArrays: Set<object>; buffers: Set<object> } | undefined

function findPrototypes(): { typedArrays: Set<object>; buffers: Set<object> } {
  const typedArrays = new Set<object>()
  const buffers = new Set<object>([ArrayBuffer.prototype])
  const globals = globalThis as unknown as Record<string, unknown>
  for (const name of TYPED_ARRAYS) {
    const made = globals[name]
    if (typeof made !== 'function' || name === 'ArrayBuffer') continue
    const prototype = (made as { prototype?: object }).prototype
    if (prototype) typedArrays.add(Object.getPrototypeOf(prototype) as object)
    buffers.add(Object.getPrototypeOf(new (made as new (length: number) => ArrayBufferView)(0).buffer))
  }
  return { typedArrays, buffers }
}

/** Bytes `slice(start, end)` copies out of `length` units of `unit` bytes; `undefined` when an argument is not a plain number. */
export function sliceBytes(length: number, unit: number, [start, end]: unknown[]): number | undefined {
  const index = (value: unknown, absent: number) => {
    if (value === undefined) return absent
    if (typeof value !== 'number') return undefined
    const whole = Number.isNaN(value) ? 0 : Math.trunc(value)
    return whole < 0 ? Math.max(length + whole, 0) : Math.min(whole, length)
  }
  const from = index(start, 0)
  const to = index(end, length)
  if (from === undefined || to === undefined) return undefined
  return Math.max(0, to - from) * unit
}

/**
 * Counts what the builtins that copy into a new backing store allocate: no constructor hook sees them, since
 * they make their result natively. The typed arrays' own methods are replaced on `%TypedArray%.prototype`,
 * so the constructors stay what they are (`a.map(f).constructor === Float64Array`).
 */
export function hookCopies(hooks: Hooks, allocations: Allocations): void {
  const wholeCopy: Sizes = {
    before: (self) => (isTypedArray(self) ? typedByteLength.call(self) : undefined),
    after: viewBytes,
  }
  const prototypes = copyPrototypes()
  for (const prototype of prototypes.typedArrays) {
    for (const key of ['map', 'filter', 'toReversed', 'toSorted', 'with']) {
      hooks.replace(prototype, key, (original: Method) => paced(hooks, allocations, original, wholeCopy))
    }
    hooks.replace(prototype, 'slice', (original: Method) =>
      paced(hooks, allocations, original, {
        before: (self, args) =>
          isTypedArray(self)
            ? sliceBytes(
                typedLength.call(self),
                typedByteLength.call(self) / (typedLength.call(self) || 1),
                args,
              )
            : undefined,
        after: viewBytes,
      }),
    )
  }
  for (const prototype of prototypes.buffers) {
    hooks.replace(prototype, 'slice', (original: Method) =>
      paced(hooks, allocations, original, {
        before: (self, args) =>
          isArrayBuffer(self) ? sliceBytes(bufferByteLength.call(self), 1, args) : undefined,
        after: bufferBytes,
      }),
    )
  }
  hooks.replace(globalThis, 'structuredClone', (original: Method) =>
    paced(hooks, allocations, original, {
      before: (_, [value]) => bufferBytes(value) || undefined,
    }),
  )
  hookModuleExport(hooks, fs, 'readFileSync', (original: Method) =>
    paced(hooks, allocations, original, { before: (_, [file]) => fileBytes(file) }),
  )
}

const { fstatSync, statSync } = fs

/** The size of the file `readFileSync` is about to read, when it is a file: a stat costs little beside a read. */
function fileBytes(file: unknown): number | undefined {
  try {
    if (typeof file === 'number') return fstatSync(file).size
    if (typeof file === 'string' || file instanceof URL || Buffer.isBuffer(file)) return statSync(file).size
  } catch {
    // `readFileSync` itself says what is wrong with the path.
  }
  return undefined
}

/**
 * Replaces a builtin module's export, also as ES modules import it: `import { readFileSync } from 'node:fs'`
 * reads a copy of the CommonJS export that only `syncBuiltinESMExports()` updates.
 */
function hookModuleExport(
  hooks: Hooks,
  owner: object,
  key: string,
  make: (original: never) => unknown,
): void {
  hooks.onRestore(syncBuiltinESMExports)
  hooks.replace(owner, key, make)
  syncBuiltinESMExports()
}

const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Uint8Array',
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const

/**
 * Counts what the typed-array constructors (and `ArrayBuffer`'s) make, by replacing each with a proxy: the
 * opt-in `typedArrays` pacing, under which `new Uint8Array(1).constructor === Uint8Array` is false.
 */
export function hookTypedArrays(hooks: Hooks, allocations: Allocations): void {
  for (const name of TYPED_ARRAYS) {
    hooks.replace(globalThis, name, (original: new (...args: unknown[]) => { byteLength: number }) => {
      const proxy: object = new Proxy(original, {
        construct(target, args, newTarget) {
          const made = Reflect.construct(target, args, newTarget === proxy ? target : newTarget)
          if (hooks.pacing) allocations.after(made.byteLength)
          return made
        },
      })
      return proxy
    })
  }
}
