import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors'
import {
  deploymentParametersSchema,
  exportParameterFile,
  importParameterFile,
  maskSecrets,
  mountScriptFiles,
  poolTemplateFile,
  templateParameters,
  toParameterFile,
} from '../../../shared/parameter-file'
import { linuxSpec, sshKey } from './specs'

const template = JSON.parse(
  readFileSync(resolve(__dirname, '../../../resources/templates/dsvm-pool.json'), 'utf8'),
) as { parameters: Record<string, { type: string; defaultValue?: unknown }> }
const microsoftSample = readFileSync(
  resolve(__dirname, 'fixtures/dsvm-vmss-cluster.parameters.json'),
  'utf8',
)

const windowsSpec = () =>
  linuxSpec({
    osType: 'Windows',
    sshPublicKey: undefined,
    adminPassword: 'Correct-Horse-42!',
    storage: {
      mode: 'existing',
      accountName: 'teamfiles',
      shareName: 'projects',
      mountpointPath: 'Z:',
    },
  })

const values = (file: { parameters: Record<string, { value: unknown }> }) =>
  Object.fromEntries(Object.entries(file.parameters).map(([k, v]) => [k, v.value]))

describe('spec → parameter file', () => {
  it('writes a deploymentParameters file whose every parameter the template has', () => {
    const file = toParameterFile(linuxSpec(), { mountScript: '#!/bin/bash\n', owner: 'ada@x' })
    expect(file.$schema).toBe(deploymentParametersSchema)
    expect(file.$schema).toBe(
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
    )
    expect(file.contentVersion).toBe('1.0.0.0')
    for (const name of Object.keys(file.parameters))
      expect(Object.keys(template.parameters)).toContain(name)
    // Every template parameter without a default is given.
    for (const [name, definition] of Object.entries(template.parameters))
      if (!('defaultValue' in definition)) expect(file.parameters, name).toHaveProperty(name)
  })

  it("maps the wizard's answers onto the template's parameters", () => {
    expect(values(toParameterFile(linuxSpec(), { mountScript: 'S', owner: 'ada@x' }))).toEqual({
      location: 'westeurope',
      vmssName: 'teampool',
      osType: 'Linux',
      vmSku: 'Standard_D4s_v5',
      instanceCount: 2,
      image: { publisher: 'microsoft-dsvm', offer: 'ubuntu-2204', sku: '2204', version: 'latest' },
      priority: 'Regular',
      evictionPolicy: 'Deallocate',
      maxPrice: '-1',
      adminUsername: 'dsvmadmin',
      sshPublicKey: sshKey,
      allowedSourceRanges: ['203.0.113.0/24'],
      networkAccess: 'Public',
      dnsLabel: 'teampool',
      storage: 'new',
      storageAccountName: 'teampoolfiles',
      shareName: 'notebooks',
      mountpointPath: '/mnt/dsvmshare',
      keyAccess: 'identity',
      mountScript: 'S',
      autoscaleEnabled: true,
      autoscaleMinimum: 0,
      autoscaleMaximum: 4,
      autoscaleDefault: 2,
      workingDays: ['Monday', 'Friday'],
      workingHoursStart: '08:00',
      workingHoursEnd: '18:00',
      workingTimeZone: 'Romance Standard Time',
      tags: { team: 'ml', 'dsvm-pool-owner': 'ada@x' },
    })
  })

  it('an existing account reached through the managed identity: no key goes in', () => {
    const v = values(toParameterFile(windowsSpec(), { mountScript: 'S', storageAccountKey: 'K' }))
    expect(v).toMatchObject({ storage: 'existing', keyAccess: 'identity' })
    expect(v).not.toHaveProperty('storageAccountKey')
    const elsewhere = linuxSpec({
      storage: {
        mode: 'existing',
        accountName: 'teamfiles',
        accountResourceGroup: 'shared-storage',
        shareName: 'projects',
        mountpointPath: '/mnt/dsvmshare',
      },
    })
    expect(values(toParameterFile(elsewhere, { mountScript: 'S' })).storageResourceGroup).toBe(
      'shared-storage',
    )
  })

  it('Windows with an existing account and no right to assign roles: password and key go in, SSH key and new-account values do not', () => {
    const v = values(
      toParameterFile(windowsSpec(), {
        mountScript: 'S',
        storageAccountKey: 'K',
        keyAccess: 'settings',
      }),
    )
    expect(v).toMatchObject({
      osType: 'Windows',
      adminPassword: 'Correct-Horse-42!',
      storage: 'existing',
      keyAccess: 'settings',
      storageAccountKey: 'K',
      mountpointPath: 'Z:',
      image: { offer: 'dsvm-win-2022', sku: 'winserver-2022' },
    })
    expect(v).not.toHaveProperty('sshPublicKey')
  })

  it('needs the key of an existing storage account', () => {
    expect(() =>
      templateParameters(windowsSpec(), { mountScript: 'S', keyAccess: 'settings' }),
    ).toThrow(/key of the existing storage account 'teamfiles'/)
  })

  it('internal pools have no DNS label; no schedule means no working days', () => {
    const v = values(
      toParameterFile(
        linuxSpec({
          network: { access: 'Internal' },
          autoscale: { enabled: true, minimum: 0, maximum: 2, default: 1, schedule: null },
        }),
        { mountScript: 'S' },
      ),
    )
    expect(v.networkAccess).toBe('Internal')
    expect(v).not.toHaveProperty('dnsLabel')
    expect(v.workingDays).toEqual([])
    expect(v).not.toHaveProperty('workingTimeZone')
  })

  it('masks secrets for the Review step', () => {
    const masked = maskSecrets(
      toParameterFile(windowsSpec(), {
        mountScript: 'S',
        storageAccountKey: 'K',
        keyAccess: 'settings',
      }),
    )
    expect(masked.parameters.adminPassword).toEqual({ value: '********' })
    expect(masked.parameters.storageAccountKey).toEqual({ value: '********' })
    expect(JSON.stringify(masked)).not.toMatch(/Correct-Horse|"K"/)
  })

  it('exports without secrets and says so', () => {
    const exported = exportParameterFile(windowsSpec(), { mountScript: 'S' })
    expect(exported.parameters).not.toHaveProperty('adminPassword')
    expect(exported.parameters).not.toHaveProperty('storageAccountKey')
    expect(JSON.stringify(exported)).not.toContain('Correct-Horse-42!')
    expect(exported.metadata?.note).toMatch(/adminPassword was removed on export/)
    const linux = exportParameterFile(linuxSpec(), { mountScript: 'S' })
    expect(linux.metadata?.note).toMatch(/no secrets/)
  })

  it("JupyterHub's app registration: masked for Review, removed on export, and only on Linux pools", () => {
    const jupyterHub = {
      signIn: {
        tenantId: '72f988bf-0000-4000-8000-00000000c0de',
        clientId: '0f5c2a11-7d3e-4c1a-9b8e-1d2c3b4a5e6f',
        clientSecret: 'Q~x8.secret-text',
      },
      script: 'H',
    }
    const file = toParameterFile(linuxSpec(), { mountScript: 'S', jupyterHub })
    expect(file.parameters.jupyterHubSignIn).toEqual({ value: jupyterHub.signIn })
    expect(file.parameters.jupyterHubScript).toEqual({ value: 'H' })
    expect(maskSecrets(file).parameters.jupyterHubSignIn).toEqual({ value: '********' })
    expect(JSON.stringify(maskSecrets(file))).not.toContain('Q~x8')
    const exported = exportParameterFile(linuxSpec(), { mountScript: 'S', jupyterHub })
    expect(exported.parameters).not.toHaveProperty('jupyterHubSignIn')
    expect(exported.parameters.jupyterHubScript).toEqual({ value: 'H' })
    expect(JSON.stringify(exported)).not.toContain('Q~x8')
    expect(exported.metadata?.note).toMatch(/jupyterHubSignIn was removed on export/)
    expect(importParameterFile(JSON.stringify(exported)).notUnderstood).toEqual([])
    const windows = toParameterFile(windowsSpec(), { mountScript: 'S', jupyterHub })
    expect(windows.parameters).not.toHaveProperty('jupyterHubSignIn')
  })

  it('reads back what it exports', () => {
    const spec = windowsSpec()
    const imported = importParameterFile(
      JSON.stringify(exportParameterFile(spec, { mountScript: 'S', owner: 'ada@x' })),
    )
    expect(imported.format).toBe('dsvm-pool')
    expect(imported.notUnderstood).toEqual([])
    const { subscriptionId: _s, resourceGroup: _g, adminPassword: _p, ...rest } = spec
    expect(imported.spec).toEqual({
      ...rest,
      autoscale: {
        ...rest.autoscale,
        schedule: { ...rest.autoscale.schedule!, timeZone: 'Romance Standard Time' },
      },
    })
  })
})

describe('the team access choice in the parameter file', () => {
  const accountsScript = '#!/bin/bash\necho accounts\n'
  it('records pool accounts as the accounts script, with no account and no secret exported', () => {
    const spec = { ...linuxSpec(), teamAccess: 'poolAccounts' as const }
    const inputs = { mountScript: 'm', poolAccounts: { script: accountsScript, accounts: [] } }
    const exported = exportParameterFile(spec, inputs)
    expect(exported.parameters.accountsScript).toEqual({ value: accountsScript })
    expect(exported.parameters).not.toHaveProperty('poolAccounts')
    expect(exported.metadata?.note).not.toMatch(/poolAccounts/)
    const imported = importParameterFile(JSON.stringify(exported))
    expect(imported.spec.teamAccess).toBe('poolAccounts')
    expect(imported.notUnderstood).toEqual([])
  })

  it('has no accounts script for Microsoft-account sign-in', () => {
    const exported = exportParameterFile(linuxSpec(), { mountScript: 'm' })
    expect(exported.parameters).not.toHaveProperty('accountsScript')
    expect(importParameterFile(JSON.stringify(exported)).spec.teamAccess).toBeUndefined()
  })
})

describe("importing Microsoft's dsvm-vmss-cluster parameter file", () => {
  it('takes the real values, names the pool for GEN-UNIQUE-8, and asks for nothing a Linux pool does not use', () => {
    const { format, spec, notUnderstood } = importParameterFile(microsoftSample, {
      uniqueName: (length) => 'q'.repeat(length),
    })
    expect(format).toBe('dsvm-vmss-cluster')
    expect(spec).toEqual({
      osType: 'Linux',
      poolName: 'qqqqqqqq',
      vmSku: 'Standard_D2s_v3',
      instanceCount: 2,
      adminUsername: 'dsvmuser',
      storage: { mountpointPath: '/mnt/dsvmshare' },
    })
    const notes = Object.fromEntries(notUnderstood.map((n) => [n.parameter, n.message]))
    expect(notes).toEqual({
      vmssName:
        "'GEN-UNIQUE-8' asks for a unique name: the pool is called 'qqqqqqqq'. Change it on Basics if you like.",
      adminPassword: 'Not used: Linux pools sign in with an SSH key instead of a password.',
      storageAccountKey: expect.stringMatching(/^Not needed: the app reads the key/),
      storageAccountName: expect.stringMatching(/placeholder .* the wizard asks for this value/),
      shareName: expect.stringMatching(/placeholder .* the wizard asks for this value/),
    })
    // Nothing is asked for that the Linux wizard has no field for.
    expect(JSON.stringify(notUnderstood)).not.toMatch(/enter a real value/)
  })

  it('makes a valid unique pool name, and takes a capitalised vmssName in lowercase', () => {
    const made = importParameterFile(microsoftSample).spec.poolName!
    expect(made).toMatch(/^[a-z][a-z0-9]{7}$/)
    const { spec, notUnderstood } = importParameterFile(
      microsoftSample.replace('GEN-UNIQUE-8', 'LabPool'),
    )
    expect(spec.poolName).toBe('labpool')
    expect(notUnderstood).toContainEqual({
      parameter: 'vmssName',
      message: "Taken in lowercase: the pool is called 'labpool'.",
    })
  })

  it('with real values: an existing account, no key or password imported, and the reasons', () => {
    const filled = microsoftSample
      .replace('GEN-UNIQUE-8', 'labpool1')
      .replace('ENTER-YO-STORAGEACCT', 'labfiles')
      .replace('YOUR-AZURE-FILES-SHARE', 'lab-share')
      .replace('ENTER-YO-KEY', 'c2VjcmV0')
      .replace('GEN-PASSWORD', 'Hunter2-Hunter2')
    const { spec, notUnderstood } = importParameterFile(filled)
    expect(spec).toMatchObject({
      poolName: 'labpool1',
      storage: { mode: 'existing', accountName: 'labfiles', shareName: 'lab-share' },
    })
    expect(spec).not.toHaveProperty('adminPassword')
    expect(JSON.stringify(spec)).not.toContain('c2VjcmV0')
    expect(notUnderstood).toEqual([
      {
        parameter: 'adminPassword',
        message: 'Not used: Linux pools sign in with an SSH key instead of a password.',
      },
      {
        parameter: 'storageAccountKey',
        message: expect.stringMatching(/reads the key from the storage account/),
      },
    ])
  })

  it('lists invalid values, unknown parameters and Key Vault references', () => {
    const file = {
      $schema: deploymentParametersSchema,
      contentVersion: '1.0.0.0',
      parameters: {
        vmssName: { value: 'team_pool' },
        instanceCount: { value: 500 },
        adminUsername: { value: 'admin' },
        adminPassword: { reference: { keyVault: { id: '/x' }, secretName: 'pw' } },
        osType: { value: 'Windows' },
        allowedSourceRanges: { value: ['203.0.113.0/24', '10.1.2.3/8'] },
        vnetName: { value: 'other' },
      },
    }
    const { format, spec, notUnderstood } = importParameterFile(JSON.stringify(file))
    expect(format).toBe('dsvm-pool')
    expect(spec).toEqual({ osType: 'Windows', allowedSourceRanges: ['203.0.113.0/24'] })
    expect(Object.fromEntries(notUnderstood.map((n) => [n.parameter, n.message]))).toEqual({
      vmssName:
        "A pool name may contain only lowercase letters, digits and hyphens (-): '_' is not allowed.",
      instanceCount: '500 is not a whole number from 0 to 100.',
      adminUsername: "'admin' is reserved by Azure; choose another administrator user name.",
      adminPassword: expect.stringMatching(/Key Vault reference/),
      allowedSourceRanges: "'10.1.2.3/8' has host bits set; the range is 10.0.0.0/8.",
      vnetName: 'This parameter is not one the DSVM pool template has; it was ignored.',
    })
  })
})

describe('files that are not such parameter files', () => {
  const problem = (text: string) => {
    try {
      importParameterFile(text)
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      const appError = error as AppError
      expect(appError.code).toBe('Validation')
      return { problem: appError.details?.problem, message: appError.message }
    }
    throw new Error('imported without an error')
  }

  it('malformed JSON names the problem', () => {
    expect(problem('{ "parameters": { "vmSku": ')).toMatchObject({
      problem: 'NotJson',
      message: expect.stringMatching(/^The file is not valid JSON: /),
    })
  })

  it('a template instead of its parameter file', () => {
    const templateText = readFileSync(
      resolve(__dirname, '../../../resources/templates/dsvm-pool.json'),
      'utf8',
    )
    expect(problem(templateText)).toEqual({
      problem: 'TemplateNotParameters',
      message:
        'This is an ARM template, not a parameter file. Choose the .parameters.json file that goes with it.',
    })
  })

  it('other JSON: an array, no parameters, another schema', () => {
    expect(problem('[1, 2]').problem).toBe('NotParameterFile')
    expect(problem('{"name": "x"}').message).toMatch(/no "parameters" object/)
    expect(
      problem('{"$schema": "https://json.schemastore.org/package.json", "parameters": {}}').message,
    ).toMatch(/its \$schema is https:\/\/json\.schemastore\.org/)
  })

  it("another template's parameter file", () => {
    const foreign = JSON.stringify({
      $schema: deploymentParametersSchema,
      contentVersion: '1.0.0.0',
      parameters: { siteName: { value: 'x' }, sqlAdmin: { value: 'y' } },
    })
    expect(problem(foreign)).toEqual({
      problem: 'ForeignParameters',
      message:
        "None of its parameters (siteName, sqlAdmin) belong to the DSVM pool template or to Microsoft's dsvm-vmss-cluster template.",
    })
  })
})

describe('resource files', () => {
  it('names the template and scripts that exist under resources/', () => {
    for (const file of [poolTemplateFile, ...Object.values(mountScriptFiles)])
      expect(existsSync(resolve(__dirname, '../../../resources', file)), file).toBe(true)
  })
})
