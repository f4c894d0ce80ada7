import { isIP } from 'node:net'
import { AppError } from '../../shared/errors'
import type { HttpGet } from './prices/http'

/*
 * "Use my current address" in the wizard: one look-up, after the person agreed, of the
 * address their computer reaches the internet from, as the /32 (or /128) range to allow.
 * The sandbox answers with a stand-in address (sandbox/public-address.ts).
 */

export const publicAddressService = 'https://api.ipify.org?format=json'

export interface PublicAddress {
  address: string
  /** The address as a range of one: 203.0.113.57/32. */
  range: string
}

export async function lookUpPublicAddress(get: HttpGet, url: string): Promise<PublicAddress> {
  const failed = () =>
    new AppError(
      'Transient',
      'Your public address could not be looked up. Add your address range by hand, or try again.',
    )
  const reply = await get(url).catch(() => {
    throw failed()
  })
  if (reply.status !== 200) throw failed()
  let ip: unknown
  try {
    ip = (JSON.parse(reply.text) as { ip?: unknown }).ip
  } catch {
    throw failed()
  }
  const version = typeof ip === 'string' ? isIP(ip) : 0
  if (version === 0) throw failed()
  return { address: ip as string, range: `${ip as string}/${version === 4 ? 32 : 128}` }
}
