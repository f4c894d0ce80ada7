import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DiskContentStore,
  MemoryContentStore,
  type ContentStore,
} from '../../../../sandbox/files/content-store'

const MiB = 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), 'content-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stores: Array<[string, () => ContentStore]> = [
  ['memory', () => new MemoryContentStore()],
  ['disk', () => new DiskContentStore(dir)],
]

describe.each(stores)('%s content store', (_name, make) => {
  it('reads zeros where nothing was written and bytes across chunk borders', async () => {
    const store = make()
    const id = '00000000-0000-4000-8000-000000000001'
    await store.create(id, 12 * MiB)
    const data = Buffer.alloc(3 * MiB, 0xab)
    await store.write(id, 4 * MiB - 100, data)
    const around = await store.read(id, 4 * MiB - 200, 3 * MiB + 200)
    expect(around.subarray(0, 100).every((b) => b === 0)).toBe(true)
    expect(around.subarray(100, 100 + 3 * MiB).equals(data)).toBe(true)
    expect(around.subarray(100 + 3 * MiB).every((b) => b === 0)).toBe(true)
    expect((await store.read(id, 10 * MiB, 1000)).every((b) => b === 0)).toBe(true)
  })

  it('clears a range and keeps zeros after shrinking and growing', async () => {
    const store = make()
    const id = '00000000-0000-4000-8000-000000000002'
    await store.create(id, 9 * MiB)
    await store.write(id, 0, Buffer.alloc(9 * MiB, 1))
    await store.clear(id, 1 * MiB, 5 * MiB)
    const cleared = await store.read(id, 0, 9 * MiB)
    expect(cleared[MiB - 1]).toBe(1)
    expect(cleared.subarray(MiB, 6 * MiB).every((b) => b === 0)).toBe(true)
    expect(cleared[6 * MiB]).toBe(1)

    await store.resize(id, 100)
    await store.resize(id, 9 * MiB)
    const regrown = await store.read(id, 0, 9 * MiB)
    expect(regrown.subarray(0, 100).every((b) => b === 1)).toBe(true)
    expect(regrown.subarray(100).every((b) => b === 0)).toBe(true)
    await store.remove(id)
  })
})

describe('disk content store', () => {
  it('keeps a large, mostly empty file sparse', async () => {
    const store = new DiskContentStore(dir)
    const id = '00000000-0000-4000-8000-000000000003'
    await store.create(id, 1024 * MiB)
    await store.write(id, 512 * MiB, Buffer.from('x'))
    const stat = statSync(join(dir, id))
    expect(stat.size).toBe(1024 * MiB)
    expect(stat.blocks * 512).toBeLessThan(16 * MiB)
    await store.remove(id)
  })
})
