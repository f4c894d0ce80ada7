import { describe, expect, it } from 'vitest'
import { chooseSshIdentity, type SshIdentitySources } from '../../../electron/connect/ssh-identity'

/*
 * Whom a member connects as: the Entra certificate, their own pool account, or the admin
 * (docs/team.md, "Which user and key each SSH path uses").
 */

const entra = {
  user: 'grace@contoso.example',
  keyPath: '/home/grace/.ssh/dsvm-pool-manager-entra',
  certificatePath: '/home/grace/.ssh/dsvm-pool-manager-entra-grace-cert.pub',
}
const account = { user: 'grace', keyPath: '/home/grace/.ssh/dsvm-team-pool-grace' }

function sources(
  options: {
    entraLogin?: boolean
    poolAccount?: typeof account
    mayUseEntraLogin?: boolean | Error
  } = {},
) {
  const asked: string[] = []
  const value: SshIdentitySources = {
    entraLogin: options.entraLogin ?? false,
    poolAccount: async () => {
      asked.push('poolAccount')
      return options.poolAccount
    },
    mayUseEntraLogin: async () => {
      asked.push('mayUseEntraLogin')
      if (options.mayUseEntraLogin instanceof Error) throw options.mayUseEntraLogin
      return options.mayUseEntraLogin ?? false
    },
    entraCertificate: async () => {
      asked.push('entraCertificate')
      return entra
    },
  }
  return { value, asked }
}

describe('chooseSshIdentity', () => {
  it('uses the Entra certificate on a pool with the Entra ID login when there is no pool account', async () => {
    const { value, asked } = sources({ entraLogin: true })
    expect(await chooseSshIdentity(value)).toEqual({ entra })
    // No rights check is needed (nor made) without a pool account to choose instead.
    expect(asked).toEqual(['poolAccount', 'entraCertificate'])
  })

  it('uses the member’s pool account on a pool without the Entra ID login', async () => {
    const { value, asked } = sources({ poolAccount: account })
    expect(await chooseSshIdentity(value)).toEqual({ poolAccount: account })
    expect(asked).toEqual(['poolAccount'])
  })

  it('prefers the Entra certificate when the member may sign in with it', async () => {
    const { value } = sources({ entraLogin: true, poolAccount: account, mayUseEntraLogin: true })
    expect(await chooseSshIdentity(value)).toEqual({ entra })
  })

  it('uses the pool account on an Entra pool where the member holds no login role', async () => {
    const { value, asked } = sources({
      entraLogin: true,
      poolAccount: account,
      mayUseEntraLogin: false,
    })
    expect(await chooseSshIdentity(value)).toEqual({ poolAccount: account })
    expect(asked).not.toContain('entraCertificate')
  })

  it('uses the pool account when the member’s rights cannot be read', async () => {
    const { value } = sources({
      entraLogin: true,
      poolAccount: account,
      mayUseEntraLogin: new Error('403'),
    })
    expect(await chooseSshIdentity(value)).toEqual({ poolAccount: account })
  })

  it('leaves the admin path when there is neither (no account, or it was removed)', async () => {
    expect(await chooseSshIdentity(sources().value)).toEqual({})
  })
})
