import { poolTags } from './pool-tags'
import type { PoolSpec } from './pool-spec'

/**
 * The Azure CLI commands that do what the Deploy button does, for the Review step: create the
 * resource group, then deploy the template with the exported parameter file. Secrets are never
 * part of the text, nor of any command line they start: a Windows password is read from the
 * terminal into a shell variable and handed to az on its standard input (`adminPassword=@-`:
 * the Azure CLI reads an argument's value from stdin; printf is a shell builtin), so `ps` never
 * shows it.
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
  const windows = spec.osType === 'Windows'
  if (windows)
    commands.push("read -rsp 'Administrator password for the pool: ' DSVM_ADMIN_PASSWORD && echo")
  // No storage key: the pool's managed identity reads it on the instances (keyAccess
  // 'identity' in the parameter file), so none is put on az's command line.
  commands.push(
    [
      `${windows ? `printf '%s' "$DSVM_ADMIN_PASSWORD" | ` : ''}az deployment group create`,
      `--subscription ${q(spec.subscriptionId)}`,
      `--resource-group ${q(spec.resourceGroup.name)}`,
      `--name ${q(options.deploymentName)}`,
      `--template-file ${q(templateFile)}`,
      `--parameters @${parametersFile}`,
      ...(windows ? ['--parameters adminPassword=@-'] : []),
    ].join(' \\\n  '),
  )
  if (windows) commands.push('unset DSVM_ADMIN_PASSWORD')
  return commands
}
