// Names grouped by key length and kind (scoped or not), each with a 32-bit signature of the
// characters it contains, stored in typed arrays so that scanning a bucket is a tight loop of
// bit operations. One edit adds at most one character kind and removes at most one, so a name
// whose signature differs from the query's in more kinds than the allowed distance cannot be
// within it: those are skipped without computing an edit distance.

/** Bit i is set when a character with code ≡ i (mod 32) occurs in `key`. */
export function signatureOf(key: string): number {
  let signature = 0
  for (let i = 0; i < key.length; i++) signature |= 1 << (key.charCodeAt(i) & 31)
  return signature
}

interface Bucket<T> {
  items: T[]
  signatures: Int32Array
}

export class SignatureBuckets<T> {
  private readonly pending = new Map<string, { items: T[]; signatures: number[] }>()
  private readonly buckets = new Map<string, Bucket<T>>()

  add(group: string, length: number, signature: number, item: T): void {
    const id = `${group}:${length}`
    const bucket = this.pending.get(id) ?? { items: [], signatures: [] }
    bucket.items.push(item)
    bucket.signatures.push(signature)
    this.pending.set(id, bucket)
  }

  /** Moves what was added into typed arrays; call once after the last `add`. */
  freeze(): void {
    for (const [id, { items, signatures }] of this.pending) {
      this.buckets.set(id, { items, signatures: Int32Array.from(signatures) })
    }
    this.pending.clear()
  }

  /** Items of `group` whose length is within `max` of `length` and whose signature could be. */
  collect(group: string, length: number, signature: number, max: number, out: T[]): void {
    for (let size = length - max; size <= length + max; size++) {
      const bucket = this.buckets.get(`${group}:${size}`)
      if (!bucket) continue
      const { items, signatures } = bucket
      for (let i = 0; i < signatures.length; i++) {
        const other = signatures[i] as number
        if (bitCount(signature & ~other) <= max && bitCount(other & ~signature) <= max) {
          out.push(items[i] as T)
        }
      }
    }
  }
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}
