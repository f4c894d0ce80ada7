import { isIP } from 'node:net'
import { AppError } from '../../shared/errors'

/*
 * Every value that reaches a launch command or a config file is checked here first. The
 * launchers pass arguments as arrays (no shell), and these checks keep even the places that
 * must hold text (the ssh config, an RDP file, a command to copy) free of anything that could
 * start a new line, a new option or a new command.
 */

const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/

/** A DNS name (labels of letters, digits and inner hyphens) or an IPv4/IPv6 address. */
export function validHost(host: string): string {
  const ok =
    isIP(host) !== 0 || (host.length <= 253 && host.split('.').every((part) => label.test(part)))
  if (!ok)
    throw new AppError('Validation', 'The pool’s address is not a host name the app can use.')
  return host
}

/**
 * Admin user names as Azure and Linux accept them (no spaces, quotes or leading hyphen), or
 * a Microsoft Entra sign-in name (name@domain), which the Entra ID login uses as the user.
 */
export function validUser(user: string): string {
  const local = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/
  const signInName =
    /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/
  if (!local.test(user) && !signInName.test(user))
    throw new AppError('Validation', 'The pool’s admin user name is not one the app can use.')
  return user
}

export function validPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new AppError('Validation', 'The port must be a whole number from 1 to 65535.')
  return port
}

/** A pool's name as a host alias in ~/.ssh/config (`ssh team-pool-0`). */
export function validAlias(alias: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(alias))
    throw new AppError('Validation', 'The pool name cannot be used as an SSH host alias.')
  return alias
}

export function validInstanceId(id: string): string {
  if (!/^\d{1,6}$/.test(id)) throw new AppError('Validation', 'Expected an instance id.')
  return id
}

/** A local file path that goes into a config line or a command: absolute, one line, no quotes. */
export function validLocalPath(path: string): string {
  const absolute = path.startsWith('/') || /^[A-Za-z]:\\/.test(path)
  if (!absolute || /["\r\n\0]/.test(path) || path.length > 1024)
    throw new AppError('Validation', 'The key file’s path cannot be used in an SSH command.')
  return path
}
