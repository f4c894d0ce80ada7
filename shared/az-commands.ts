import { poolTags } from './pool-tags'
import type { PoolSpec } from './pool-spec'

/**
 * The Azure CLI commands that do what the Deploy button does, for the Review step: create the
 * resource group, then deploy the template with the exported parameter file. Secrets are never
 * part of the text: a Windows password is read from the terminal into a variable, and an
 * existing storage account's key is fetched by a nested az command.
 */

export interface AzCommandOptions {
  deploymentName: string
  templateFile?: string
  parametersFile?: string
}

/** Quotes a value for a POSIX shell (bash, zsh, Cloud Shell). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

export function azCommands(spec: PoolSpec, options: AzCommandOptions): string[] {
  const templateFile = options.templateFile ?? 'dsvm-pool.json'
  const parametersFile = options.parametersFile ?? 'dsvm-pool.parameters.json'
  const q = shellQuote
  const commands: string[] = []
  if (spec.resourceGroup.mode === 'new') {
    const tags = { ...spec.tags, [poolTags.pool]: spec.poolName }
    commands.push(
      [
        'az group create',
        `--subscription ${q(spec.subscriptionId)}`,
        `--name ${q(spec.resourceGroup.name)}`,
        `--location ${q(spec.location)}`,
        `--tags ${Object.entries(tags)
          .map(([k, v]) => q(`${k}=${v}`))
          .join(' ')}`,
      ].join(' \\\n  '),
    )
  }
  const secretParameters: string[] = []
  if (spec.osType === 'Windows') {
    commands.push("read -rsp 'Administrator password for the pool: ' DSVM_ADMIN_PASSWORD && echo")
    secretParameters.push('--parameters adminPassword="$DSVM_ADMIN_PASSWORD"')
  }
  // No storage key: the pool's managed identity reads it on the instances (keyAccess
  // 'identity' in the parameter file), so none is put on az's command line.
  commands.push(
    [
      'az deployment group create',
      `--subscription ${q(spec.subscriptionId)}`,
      `--resource-group ${q(spec.resourceGroup.name)}`,
      `--name ${q(options.deploymentName)}`,
      `--template-file ${q(templateFile)}`,
      `--parameters @${parametersFile}`,
      ...secretParameters,
    ].join(' \\\n  '),
  )
  return commands
}
