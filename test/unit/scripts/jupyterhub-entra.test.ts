import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeInstance, strace } from './fake-instance'

const scriptPath = resolve(__dirname, '../../../resources/scripts/jupyterhub-entra.sh')
const secret = 'Q~x8.secret-text_for~tests.0123456789abcd'
const secretBase64 = Buffer.from(secret).toString('base64')
const tenantId = '72f988bf-0000-4000-8000-00000000c0de'
const clientId = '0f5c2a11-7d3e-4c1a-9b8e-1d2c3b4a5e6f'
const identityClientId = '6d1c7a53-3c4e-4a1f-9d55-0b8f4f2d9e11'
const scope = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool'
const hub = '/anaconda/envs/py310/bin/jupyterhub'
const conf = 'etc/dsvm-pool/jupyterhub'

const graceOid = 'b2b2b2b2-0000-4000-8000-0000000067ac'
const alanOid = 'c3c3c3c3-0000-4000-8000-0000000a1a40'
const userLoginRole = 'fb879df8-f326-4884-b1cf-06f3ad86be52'
const readerRole = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

/** What a run of the Custom Script extension gives the script (the template's runner). */
const hubEnv = (extra: Record<string, string | undefined> = {}) => ({
  ...FakeInstance.bare(),
  JUPYTERHUB_TENANT_ID: tenantId,
  JUPYTERHUB_CLIENT_ID: clientId,
  JUPYTERHUB_CLIENT_SECRET_BASE64: secretBase64,
  JUPYTERHUB_CALLBACK_URL:
    'https://team-pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
  JUPYTERHUB_LOGIN_ENDPOINT: 'https://login.microsoftonline.com/',
  POOL_SCOPE: scope,
  ARM_ENDPOINT: 'https://management.azure.com/',
  IDENTITY_CLIENT_ID: identityClientId,
  ...extra,
})

/** An instance of the Data Science VM image as far as JupyterHub goes: its unit and its env. */
function dsvmInstance(options: { oauthenticator?: boolean } = {}): FakeInstance {
  const instance = new FakeInstance()
  mkdirSync(join(instance.root, 'lib/systemd/system'), { recursive: true })
  mkdirSync(join(instance.root, 'anaconda/envs/py310/bin'), { recursive: true })
  instance.file(
    'lib/systemd/system/jupyterhub.service',
    `[Unit]\nDescription=JupyterHub\n\n[Service]\nWorkingDirectory=/etc/jupyterhub\nExecStart=${hub} -f /etc/jupyterhub/jupyterhub_config.py --log-level=INFO\n\n[Install]\nWantedBy=multi-user.target\n`,
  )
  const marker = join(instance.dir, 'oauthenticator-installed')
  if (options.oauthenticator) writeFileSync(marker, '')
  const record = `printf '%s\\n' "$(basename "$0") $*" >> "${instance.log}"`
  const env = join(instance.root, 'anaconda/envs/py310/bin')
  writeFileSync(join(env, 'jupyterhub'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  // The env's Python: knows whether oauthenticator is there, pip "installs" it, and runs
  // every other program with the real python3.
  writeFileSync(
    join(env, 'python3'),
    `#!/bin/bash\n${record}\ncase "$1 $2" in\n  "-c import oauthenticator.azuread") [ -f "${marker}" ] ;;\n  "-c import jupyterhub; print(jupyterhub.__version__)") echo 4.1.5 ;;\n  "-m pip") touch "${marker}" ;;\n  *) exec python3 "$@" ;;\nesac\n`,
    { mode: 0o755 },
  )
  return instance
}

const runHub = (instance: FakeInstance, env = hubEnv()) =>
  instance.run(env, [], { file: scriptPath })

describe('jupyterhub-entra.sh on a Data Science VM instance (temporary root)', () => {
  let instance: FakeInstance
  beforeEach(() => {
    instance = dsvmInstance()
  })
  afterEach(() => instance.remove())

  it('keeps the client secret in a root-only file and nowhere else, and no command line holds it', async () => {
    const result = await runHub(instance)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(instance.read(`${conf}/client-secret`)).toBe(secret)
    expect(statSync(join(instance.root, conf, 'client-secret')).mode & 0o777).toBe(0o600)
    expect(statSync(join(instance.root, conf)).mode & 0o777).toBe(0o700)
    for (const file of ['entra.json', 'jupyterhub_config.py']) {
      expect(instance.read(`${conf}/${file}`)).not.toContain(secret)
      expect(instance.read(`${conf}/${file}`)).not.toContain(secretBase64)
    }
    expect(
      instance.read('etc/systemd/system/jupyterhub.service.d/dsvm-pool-entra.conf'),
    ).not.toContain(secret)
    expect(result.stdout + result.stderr).not.toContain(secret)
    for (const line of result.commandLines) {
      expect(line).not.toContain(secret)
      expect(line).not.toContain(secretBase64)
    }
    if (strace) expect(result.commandLines.length).toBeGreaterThan(5)
  })

  it('writes the sign-in settings without the secret and a configuration that compiles with python3', async () => {
    expect((await runHub(instance)).status).toBe(0)
    expect(JSON.parse(instance.read(`${conf}/entra.json`))).toEqual({
      JUPYTERHUB_TENANT_ID: tenantId,
      JUPYTERHUB_CLIENT_ID: clientId,
      JUPYTERHUB_CALLBACK_URL:
        'https://team-pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
      JUPYTERHUB_LOGIN_ENDPOINT: 'https://login.microsoftonline.com/',
      POOL_SCOPE: scope,
      ARM_ENDPOINT: 'https://management.azure.com/',
      IDENTITY_CLIENT_ID: identityClientId,
      IDENTITY_ENDPOINT: '',
      IMAGE_CONFIG: '/etc/jupyterhub/jupyterhub_config.py',
    })
    const config = join(instance.root, conf, 'jupyterhub_config.py')
    const compiled = spawnSync('python3', ['-m', 'py_compile', config], { encoding: 'utf8' })
    expect(compiled.stderr).toBe('')
    expect(compiled.status).toBe(0)
  })

  it("starts the image's JupyterHub with this configuration, keeping its other arguments, and restarts it", async () => {
    expect((await runHub(instance)).status).toBe(0)
    expect(instance.read('etc/systemd/system/jupyterhub.service.d/dsvm-pool-entra.conf')).toContain(
      `[Service]\nExecStart=\nExecStart=${hub} --log-level=INFO -f /etc/dsvm-pool/jupyterhub/jupyterhub_config.py\n`,
    )
    const calls = instance.calls()
    expect(calls).toContain('systemctl daemon-reload')
    expect(calls).toContain('systemctl restart jupyterhub.service')
  })

  it("installs oauthenticator into JupyterHub's own environment, keeping its JupyterHub version, only when missing", async () => {
    expect((await runHub(instance)).status).toBe(0)
    const pip = instance.calls().filter((c) => c.startsWith('python3 -m pip'))
    expect(pip).toEqual([
      'python3 -m pip install --quiet --disable-pip-version-check oauthenticator>=16.3,<18 jupyterhub==4.1.5',
    ])
    instance.clearCalls()
    expect((await runHub(instance)).status).toBe(0)
    expect(instance.calls().filter((c) => c.startsWith('python3 -m pip'))).toEqual([])
  })

  it('changes nothing when run again', async () => {
    expect((await runHub(instance)).status).toBe(0)
    const files = ['client-secret', 'entra.json', 'jupyterhub_config.py'].map((f) =>
      instance.read(`${conf}/${f}`),
    )
    const dropin = instance.read('etc/systemd/system/jupyterhub.service.d/dsvm-pool-entra.conf')
    expect((await runHub(instance)).status).toBe(0)
    expect(
      ['client-secret', 'entra.json', 'jupyterhub_config.py'].map((f) =>
        instance.read(`${conf}/${f}`),
      ),
    ).toEqual(files)
    expect(instance.read('etc/systemd/system/jupyterhub.service.d/dsvm-pool-entra.conf')).toBe(
      dropin,
    )
  })

  it('refuses values that could break out of the configuration, and writes nothing then', async () => {
    const bad: Array<Record<string, string | undefined>> = [
      { JUPYTERHUB_TENANT_ID: "x'; rm -rf /" },
      { JUPYTERHUB_CLIENT_ID: undefined },
      { JUPYTERHUB_CLIENT_SECRET_BASE64: undefined },
      { JUPYTERHUB_CALLBACK_URL: 'http://team-pool.example:8000/hub/oauth_callback' },
      {
        JUPYTERHUB_CALLBACK_URL:
          'https://evil.example/"+__import__("os")+":8000/hub/oauth_callback',
      },
      { POOL_SCOPE: '/subscriptions/x/resourceGroups/a/../b' },
      { IDENTITY_CLIENT_ID: 'not-a-guid' },
    ]
    for (const extra of bad) {
      const result = await runHub(instance, hubEnv(extra))
      expect(result.status, JSON.stringify(extra)).toBe(1)
      expect(result.stderr).toMatch(/^jupyterhub-entra: /)
      expect(instance.exists(conf)).toBe(false)
    }
  })

  it('says so when the image has no JupyterHub unit', async () => {
    const bare = new FakeInstance()
    try {
      const result = await runHub(bare)
      expect(result.status).toBe(1)
      expect(result.stderr).toContain(
        'this image has no jupyterhub.service: JupyterHub was not found',
      )
    } finally {
      bare.remove()
    }
  })
})

/**
 * The written configuration's sign-in rules, run by python3 with a stand-in oauthenticator
 * (JupyterHub is not installed here) against stand-ins of the metadata service and Resource
 * Manager's role assignments, which answer as Azure does.
 */
describe('the JupyterHub configuration it writes', () => {
  let instance: FakeInstance
  let server: Server
  let base: string
  const token = 'eyJ0eXAiOiJKV1QifQ.cG9vbC1pZGVudGl0eQ.c2ln'
  const seen: string[] = []

  beforeAll(async () => {
    instance = dsvmInstance({ oauthenticator: true })
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://stand-in')
      seen.push(`${req.method} ${url.pathname}`)
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (url.pathname === '/metadata/identity/oauth2/token') {
        if (
          req.headers.metadata !== 'true' ||
          url.searchParams.get('client_id') !== identityClientId
        )
          return reply(400, { error: 'invalid_request' })
        return reply(200, { access_token: token, token_type: 'Bearer' })
      }
      if (url.pathname === `${scope}/providers/Microsoft.Authorization/roleAssignments`) {
        if (req.headers.authorization !== `Bearer ${token}`)
          return reply(401, { error: { code: 'InvalidAuthenticationToken' } })
        const filter = url.searchParams.get('$filter') ?? ''
        const assignment = (oid: string, role: string) => ({
          id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${oid.slice(0, 8)}`,
          properties: {
            roleDefinitionId: `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${role}`,
            principalId: oid,
            scope,
          },
        })
        if (filter === `assignedTo('${graceOid}')`)
          return reply(200, {
            value: [assignment(graceOid, readerRole), assignment(graceOid, userLoginRole)],
          })
        // Alan can read the pool (Reader) but is no member: no login role.
        if (filter === `assignedTo('${alanOid}')`)
          return reply(200, { value: [assignment(alanOid, readerRole)] })
        return reply(200, { value: [] })
      }
      reply(404, { error: { code: 'NotFound' } })
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const result = await runHub(
      instance,
      hubEnv({ ARM_ENDPOINT: base, IDENTITY_ENDPOINT: `${base}/metadata/identity/oauth2/token` }),
    )
    expect(result.stderr).toBe('')
  })
  afterAll(async () => {
    await new Promise((done) => server.close(done))
    instance.remove()
  })

  async function python(driver: string): Promise<unknown> {
    const stubs = join(instance.dir, 'stubs')
    mkdirSync(join(stubs, 'oauthenticator'), { recursive: true })
    writeFileSync(join(stubs, 'oauthenticator/__init__.py'), '')
    writeFileSync(
      join(stubs, 'oauthenticator/azuread.py'),
      'class LocalAzureAdOAuthenticator:\n    import logging\n    log = logging.getLogger("stand-in")\n',
    )
    const config = join(instance.root, conf, 'jupyterhub_config.py')
    const settings = join(instance.root, conf, 'entra.json')
    const program = `
import asyncio, json, types
ns = {}
exec(compile(open(${JSON.stringify(config)}).read(), "jupyterhub_config.py", "exec"), ns)
settings = ns["load_settings"](${JSON.stringify(settings)})
class Section(types.SimpleNamespace):
    pass
class Config:
    def __getattr__(self, name):
        value = Section()
        setattr(self, name, value)
        return value
${driver}
`
    // Asynchronously: the stand-ins answer from this process's event loop.
    const child = spawn('python3', ['-c', program], { env: { ...process.env, PYTHONPATH: stubs } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await new Promise((done) => child.on('close', done))
    expect(stderr).toBe('')
    return JSON.parse(stdout) as unknown
  }

  it('names each member’s local account after their sign-in name, never the same for two people', async () => {
    expect(
      await python(`print(json.dumps([
  ns["linux_name"]("grace@contoso.example", "${graceOid}"),
  ns["linux_name"]("grace@fabrikam.example", "${alanOid}"),
  ns["linux_name"]("Katherine.Johnson@fabrikam.example", "${alanOid}"),
  ns["linux_name"]("42@contoso.example", "${graceOid}"),
]))`),
    ).toEqual([
      expect.stringMatching(/^grace-[0-9a-f]{8}$/),
      expect.stringMatching(/^grace-[0-9a-f]{8}$/),
      expect.stringMatching(/^katherine-johnson-[0-9a-f]{8}$/),
      expect.stringMatching(/^member-[0-9a-f]{8}$/),
    ])
    const [a, b] = (await python(`print(json.dumps([
  ns["linux_name"]("grace@contoso.example", "${graceOid}"),
  ns["linux_name"]("grace@fabrikam.example", "${alanOid}")]))`)) as [string, string]
    expect(a).not.toBe(b)
  })

  it('lets in members only: a login role on the pool’s group, in the pool’s tenant', async () => {
    const verdicts = await python(`
c = Config()
ns["configure"](c, settings, "the-secret")
Auth = c.JupyterHub.authenticator_class
auth = Auth()
def model(oid, tid="${tenantId}"):
    return {"name": "x", "auth_state": {"user": {"oid": oid, "tid": tid}}}
print(json.dumps([
    asyncio.run(auth.check_allowed("grace", model("${graceOid}"))),
    asyncio.run(auth.check_allowed("alan", model("${alanOid}"))),
    asyncio.run(auth.check_allowed("grace", model("${graceOid}", tid="3e1f7a52-0000-4000-8000-0000000fab1e"))),
    asyncio.run(auth.check_allowed("nobody", None)),
]))`)
    expect(verdicts).toEqual([true, false, false, false])
    expect(seen).toContain(`GET ${scope}/providers/Microsoft.Authorization/roleAssignments`)
  })

  it('signs in through Entra v2.0 of the pool’s tenant, makes local accounts, and makes no one a JupyterHub admin', async () => {
    const values = await python(`
c = Config()
ns["configure"](c, settings, "the-secret")
print(json.dumps({
  "authenticator": c.JupyterHub.authenticator_class.__name__,
  "client_id": c.PoolAuthenticator.client_id,
  "client_secret": c.PoolAuthenticator.client_secret,
  "callback": c.PoolAuthenticator.oauth_callback_url,
  "authorize": c.PoolAuthenticator.authorize_url,
  "token": c.PoolAuthenticator.token_url,
  "allow_all": c.PoolAuthenticator.allow_all,
  "admins": sorted(c.PoolAuthenticator.admin_users),
  "create_system_users": c.LocalAuthenticator.create_system_users,
  "pre_spawn_hook": c.Spawner.pre_spawn_hook.__name__,
  "username": c.JupyterHub.authenticator_class().user_info_to_username(
      {"oid": "${graceOid}", "preferred_username": "grace@contoso.example", "name": "Grace Hopper"}),
}))`)
    expect(values).toEqual({
      authenticator: 'PoolAuthenticator',
      client_id: clientId,
      client_secret: 'the-secret',
      callback: 'https://team-pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
      authorize: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/authorize`,
      token: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
      allow_all: false,
      admins: [],
      create_system_users: true,
      pre_spawn_hook: 'make_share_folder',
      username: expect.stringMatching(/^grace-[0-9a-f]{8}$/),
    })
  })
})

describe('shellcheck', () => {
  const available = spawnSync('shellcheck', ['--version']).status === 0
  it.skipIf(!available && process.env.CI !== 'true')(
    `finds nothing in jupyterhub-entra.sh${available ? '' : ' (skipped: shellcheck is not installed; apt-get install -y shellcheck)'}`,
    () => {
      expect(available, 'shellcheck is not installed: CI must install it').toBe(true)
      const result = spawnSync('shellcheck', ['--severity=style', scriptPath], {
        encoding: 'utf8',
      })
      expect(result.stdout + result.stderr).toBe('')
      expect(result.status).toBe(0)
    },
  )
})
