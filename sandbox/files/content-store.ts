import { mkdirSync } from 'node:fs'
import { open, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The bytes of files, kept apart from the JSON state: a file is created with its full length
 * (the service zero-fills), written in ranges and read in ranges. Unwritten regions read as
 * zeros and take no space.
 */
export interface ContentStore {
  create(id: string, size: number): Promise<void>
  write(id: string, offset: number, data: Buffer): Promise<void>
  /** Sets a range back to zeros. */
  clear(id: string, offset: number, length: number): Promise<void>
  read(id: string, offset: number, length: number): Promise<Buffer>
  resize(id: string, size: number): Promise<void>
  remove(id: string): Promise<void>
}

const chunkSize = 4 * 1024 * 1024

/** In memory, as 4 MiB chunks allocated on first write. */
export class MemoryContentStore implements ContentStore {
  private readonly files = new Map<string, { size: number; chunks: Map<number, Buffer> }>()

  async create(id: string, size: number): Promise<void> {
    this.files.set(id, { size, chunks: new Map() })
  }

  async write(id: string, offset: number, data: Buffer): Promise<void> {
    const file = this.file(id)
    this.forEachChunk(offset, data.length, (index, start, end, done) => {
      let chunk = file.chunks.get(index)
      if (!chunk) file.chunks.set(index, (chunk = Buffer.alloc(chunkSize)))
      data.copy(chunk, start, done, done + (end - start))
    })
  }

  async clear(id: string, offset: number, length: number): Promise<void> {
    const file = this.file(id)
    this.forEachChunk(offset, length, (index, start, end) => {
      const chunk = file.chunks.get(index)
      if (!chunk) return
      if (start === 0 && end === chunkSize) file.chunks.delete(index)
      else chunk.fill(0, start, end)
    })
  }

  async read(id: string, offset: number, length: number): Promise<Buffer> {
    const file = this.file(id)
    const out = Buffer.alloc(length)
    this.forEachChunk(offset, length, (index, start, end, done) => {
      file.chunks.get(index)?.copy(out, done, start, end)
    })
    return out
  }

  async resize(id: string, size: number): Promise<void> {
    const file = this.file(id)
    if (size < file.size) {
      // Drop whole chunks past the end and zero the tail of the last one, so growing again reads zeros.
      for (const index of file.chunks.keys())
        if (index * chunkSize >= size) file.chunks.delete(index)
      const last = file.chunks.get(Math.floor(size / chunkSize))
      last?.fill(0, size % chunkSize)
    }
    file.size = size
  }

  async remove(id: string): Promise<void> {
    this.files.delete(id)
  }

  private file(id: string) {
    const file = this.files.get(id)
    if (!file) throw new Error(`No content '${id}'`)
    return file
  }

  /** Calls `visit` for each chunk piece of [offset, offset+length): chunk index, start/end in the chunk, bytes done so far. */
  private forEachChunk(
    offset: number,
    length: number,
    visit: (index: number, start: number, end: number, done: number) => void,
  ): void {
    let done = 0
    while (done < length) {
      const position = offset + done
      const index = Math.floor(position / chunkSize)
      const start = position % chunkSize
      const end = Math.min(chunkSize, start + (length - done))
      visit(index, start, end, done)
      done += end - start
    }
  }
}

/** On disk, one sparse file per file under `<state>/files/`, so contents survive restarts. */
export class DiskContentStore implements ContentStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true })
  }

  async create(id: string, size: number): Promise<void> {
    await writeFile(this.path(id), '')
    await truncate(this.path(id), size)
  }

  async write(id: string, offset: number, data: Buffer): Promise<void> {
    const handle = await open(this.path(id), 'r+')
    try {
      await handle.write(data, 0, data.length, offset)
    } finally {
      await handle.close()
    }
  }

  async clear(id: string, offset: number, length: number): Promise<void> {
    const zeros = Buffer.alloc(Math.min(length, chunkSize))
    const handle = await open(this.path(id), 'r+')
    try {
      for (let done = 0; done < length; done += zeros.length) {
        await handle.write(zeros, 0, Math.min(zeros.length, length - done), offset + done)
      }
    } finally {
      await handle.close()
    }
  }

  async read(id: string, offset: number, length: number): Promise<Buffer> {
    const out = Buffer.alloc(length)
    const handle = await open(this.path(id), 'r')
    try {
      let done = 0
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
    } finally {
      await handle.close()
    }
    return out
  }

  async resize(id: string, size: number): Promise<void> {
    await truncate(this.path(id), size)
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true })
  }

  private path(id: string): string {
    if (!/^[0-9a-f-]+$/i.test(id)) throw new Error(`Invalid content id '${id}'`)
    return join(this.dir, id)
  }
}
