/** `<input type="datetime-local">` values ↔ ISO 8601 times (this computer's time zone). */

const pad = (n: number) => String(n).padStart(2, '0')

export function toLocalInput(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The ISO time for an input's value; undefined when it is not a time. */
export function fromLocalInput(value: string): string | undefined {
  const time = new Date(value)
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) && !Number.isNaN(time.getTime())
    ? time.toISOString()
    : undefined
}
