#!/bin/bash
# Makes the Data Science VM's JupyterHub sign members in with their Microsoft account
# (Microsoft Entra ID), on a Linux instance of the pool. docs/team.md says how it works.
#
# What it does, idempotently:
#   - finds the image's JupyterHub from its systemd unit (jupyterhub.service): the jupyterhub
#     program, its Python environment and the image's own configuration file;
#   - installs oauthenticator into that environment when it is missing (pip, keeping the
#     JupyterHub version the image has);
#   - writes the client secret to /etc/dsvm-pool/jupyterhub/client-secret (root, 0600) and the
#     rest of the sign-in settings (no secret) to /etc/dsvm-pool/jupyterhub/entra.json;
#   - writes /etc/dsvm-pool/jupyterhub/jupyterhub_config.py, which loads the image's
#     configuration (TLS, port, spawner) and then signs people in through Entra: only people who
#     hold Virtual Machine User Login or Virtual Machine Administrator Login on the pool's
#     resource group (the pool's members) are let in, checked at every sign-in through Resource
#     Manager with the pool's managed identity; a local account is made at the first sign-in
#     and the share's per-user folder is made and linked then (mount-share.sh does that);
#   - points the unit at that configuration (a drop-in) and restarts JupyterHub.
#
# Input comes from the environment only (arguments are visible to every local user in
# /proc/<pid>/cmdline): JUPYTERHUB_TENANT_ID, JUPYTERHUB_CLIENT_ID,
# JUPYTERHUB_CLIENT_SECRET_BASE64 (the secret, base64: the Custom Script extension's protected
# settings put it here), JUPYTERHUB_CALLBACK_URL (https://<pool address>:8000/hub/oauth_callback),
# JUPYTERHUB_LOGIN_ENDPOINT (e.g. https://login.microsoftonline.com/), POOL_SCOPE (the pool's
# resource group id), ARM_ENDPOINT, IDENTITY_CLIENT_ID (the pool's user-assigned identity),
# IDENTITY_ENDPOINT (default: the instance metadata service), JUPYTERHUB_UNIT (default
# jupyterhub.service), ROOT (a directory prefix for tests; empty on instances).
set -euo pipefail
umask 022

fail() {
  echo "jupyterhub-entra: $*" >&2
  exit 1
}

guid='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
[[ "${JUPYTERHUB_TENANT_ID:-}" =~ $guid ]] || fail "JUPYTERHUB_TENANT_ID is not a tenant id"
[[ "${JUPYTERHUB_CLIENT_ID:-}" =~ $guid ]] || fail "JUPYTERHUB_CLIENT_ID is not an application id"
[[ "${IDENTITY_CLIENT_ID:-}" =~ $guid ]] || fail "IDENTITY_CLIENT_ID is not valid"
[[ "${JUPYTERHUB_CLIENT_SECRET_BASE64:-}" =~ ^[A-Za-z0-9+/]+={0,2}$ ]] ||
  fail "JUPYTERHUB_CLIENT_SECRET_BASE64 is not set"
callback='^https://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):8000/hub/oauth_callback$'
[[ "${JUPYTERHUB_CALLBACK_URL:-}" =~ $callback ]] ||
  fail "JUPYTERHUB_CALLBACK_URL must be https://<pool address>:8000/hub/oauth_callback"
[[ "${JUPYTERHUB_LOGIN_ENDPOINT:-}" =~ ^https://[A-Za-z0-9.:-]+/?$ ]] ||
  fail "JUPYTERHUB_LOGIN_ENDPOINT is not valid"
[[ "${POOL_SCOPE:-}" =~ ^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-A-Za-z0-9._()]+$ ]] ||
  fail "POOL_SCOPE is not a resource group id"
[[ "${ARM_ENDPOINT:-}" =~ ^https?://[A-Za-z0-9.:-]+/?$ ]] || fail "ARM_ENDPOINT is not valid"
identity_endpoint="${IDENTITY_ENDPOINT:-http://169.254.169.254/metadata/identity/oauth2/token}"
[[ "$identity_endpoint" =~ ^https?://[A-Za-z0-9.:-]+/[A-Za-z0-9/._~-]*$ ]] ||
  fail "IDENTITY_ENDPOINT is not valid"
unit="${JUPYTERHUB_UNIT:-jupyterhub.service}"
[[ "$unit" =~ ^[A-Za-z0-9@._-]+\.service$ ]] || fail "JUPYTERHUB_UNIT is not a unit name"

root="${ROOT:-}"
conf_dir="/etc/dsvm-pool/jupyterhub"
secret_file="$conf_dir/client-secret"
settings_file="$conf_dir/entra.json"
config_file="$conf_dir/jupyterhub_config.py"
dropin="/etc/systemd/system/$unit.d/dsvm-pool-entra.conf"

write_file() {
  local path="$root$1" mode="$2" tmp
  mkdir -p "$(dirname "$path")"
  tmp="$(mktemp "$path.XXXXXX")"
  chmod "$mode" "$tmp"
  cat >"$tmp"
  mv -fT "$tmp" "$path"
}

# The unit's ExecStart as it was before this script's drop-in: from the unit file itself.
unit_exec_start() {
  local file
  for file in "/etc/systemd/system/$unit" "/lib/systemd/system/$unit" "/usr/lib/systemd/system/$unit"; do
    if [[ -f "$root$file" ]]; then
      sed -n 's/^[[:space:]]*ExecStart=[-@+!]*//p' "$root$file" | tail -n 1
      return 0
    fi
  done
  return 1
}

exec_start="$(unit_exec_start)" || fail "this image has no $unit: JupyterHub was not found"
read -r -a words <<<"$exec_start"
hub="${words[0]:-}"
[[ "$hub" == /* && -x "$root$hub" ]] || fail "the JupyterHub program '$hub' of $unit was not found"
env_bin="$(dirname "$hub")"
python=""
for candidate in python3 python; do
  if [[ -x "$root$env_bin/$candidate" ]]; then
    python="$env_bin/$candidate"
    break
  fi
done
[[ -n "$python" ]] || fail "no Python next to $hub"

# The image's configuration file: -f/--config in ExecStart, else the unit's working directory.
image_config=""
hub_args=()
for ((i = 1; i < ${#words[@]}; i++)); do
  case "${words[i]}" in
    -f | --config) image_config="${words[i + 1]:-}" && i=$((i + 1)) ;;
    --config=*) image_config="${words[i]#--config=}" ;;
    *) hub_args+=("${words[i]}") ;;
  esac
done
if [[ -z "$image_config" ]]; then
  workdir="$(sed -n 's/^[[:space:]]*WorkingDirectory=//p' "$root/etc/systemd/system/$unit" "$root/lib/systemd/system/$unit" 2>/dev/null | tail -n 1)"
  image_config="${workdir:-/etc/jupyterhub}/jupyterhub_config.py"
fi
if [[ "$image_config" == "$config_file" ]]; then image_config=""; fi
[[ -z "$image_config" || "$image_config" =~ ^/[A-Za-z0-9._/-]+$ ]] ||
  fail "the image's JupyterHub configuration path is not usable"

ensure_oauthenticator() {
  if "$root$python" -c 'import oauthenticator.azuread' 2>/dev/null; then return 0; fi
  local version
  version="$("$root$python" -c 'import jupyterhub; print(jupyterhub.__version__)')" ||
    fail "JupyterHub's Python cannot import jupyterhub"
  [[ "$version" =~ ^[0-9][0-9A-Za-z.+-]*$ ]] || fail "JupyterHub's version '$version' is not usable"
  echo "jupyterhub-entra: installing oauthenticator for JupyterHub $version"
  "$root$python" -m pip install --quiet --disable-pip-version-check \
    "oauthenticator>=16.3,<18" "jupyterhub==$version" </dev/null ||
    fail "oauthenticator could not be installed (is the package index reachable?)"
}

write_secret() {
  local tmp
  mkdir -p "$root$conf_dir"
  chmod 700 "$root$conf_dir"
  (
    umask 077
    tmp="$(mktemp "$root$secret_file.XXXXXX")"
    # base64 reads the secret from a here-string: it is never a process argument.
    base64 -d <<<"$JUPYTERHUB_CLIENT_SECRET_BASE64" >"$tmp" || fail "the client secret is not base64"
    chmod 600 "$tmp"
    if [[ "$(id -u)" == 0 ]]; then chown 0:0 "$tmp"; fi
    mv -fT "$tmp" "$root$secret_file"
  )
}

write_settings() {
  "$root$python" - "$root$settings_file.new" <<'PY' || fail "the sign-in settings could not be written"
import json, os, sys
keys = ["JUPYTERHUB_TENANT_ID", "JUPYTERHUB_CLIENT_ID", "JUPYTERHUB_CALLBACK_URL",
        "JUPYTERHUB_LOGIN_ENDPOINT", "POOL_SCOPE", "ARM_ENDPOINT", "IDENTITY_CLIENT_ID",
        "IDENTITY_ENDPOINT", "IMAGE_CONFIG"]
settings = {k: os.environ.get(k, "") for k in keys}
with open(sys.argv[1], "w") as f:
    json.dump(settings, f, indent=2)
PY
  chmod 644 "$root$settings_file.new"
  mv -fT "$root$settings_file.new" "$root$settings_file"
}

write_config() {
  write_file "$config_file" 644 <<'PY'
# Written by DSVM Pool Manager (jupyterhub-entra.sh). Members of the pool sign in to JupyterHub
# with their Microsoft account; see docs/team.md, "JupyterHub with Microsoft accounts".
import asyncio
import hashlib
import json
import os
import re
import urllib.parse
import urllib.request

SETTINGS_FILE = "/etc/dsvm-pool/jupyterhub/entra.json"
SECRET_FILE = "/etc/dsvm-pool/jupyterhub/client-secret"
# Virtual Machine User Login and Virtual Machine Administrator Login: the pool's members.
LOGIN_ROLES = {
    "fb879df8-f326-4884-b1cf-06f3ad86be52",
    "1c0163c0-47e6-4577-8991-ea5c82e286e4",
}


def load_settings(path=SETTINGS_FILE):
    with open(path) as f:
        return json.load(f)


def linux_name(sign_in_name, object_id):
    """The local account of a member: the part of their sign-in name before the @ (letters,
    digits, _ and -; at most 20 characters) and 8 characters of a hash of their object id, so
    that grace@contoso.example and grace@fabrikam.example never share an account, and the
    same person gets the same name (and share folder) on every instance."""
    local = (sign_in_name or "").split("@")[0].lower()
    local = re.sub(r"[^a-z0-9_-]+", "-", local)
    local = re.sub(r"^[^a-z]+", "", local)[:20].rstrip("-") or "member"
    digest = hashlib.sha256(object_id.lower().encode()).hexdigest()[:8]
    return f"{local}-{digest}"


def _get_json(url, headers, timeout=10):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.load(answer)


def holds_login_role(settings, object_id):
    """Whether the person holds a login role on the pool's resource group (directly, through a
    group, or above it), read from Resource Manager with the pool's managed identity. Any
    failure answers False: nobody is let in on a guess."""
    if not re.fullmatch(r"[0-9a-fA-F-]{36}", object_id or ""):
        return False
    arm = settings["ARM_ENDPOINT"].rstrip("/")
    identity = settings.get("IDENTITY_ENDPOINT") or (
        "http://169.254.169.254/metadata/identity/oauth2/token"
    )
    query = urllib.parse.urlencode(
        {
            "api-version": "2018-02-01",
            "resource": arm + "/",
            "client_id": settings["IDENTITY_CLIENT_ID"],
        }
    )
    token = _get_json(f"{identity}?{query}", {"Metadata": "true"})["access_token"]
    query = urllib.parse.urlencode(
        {"api-version": "2022-04-01", "$filter": f"assignedTo('{object_id}')"}
    )
    url = f"{arm}{settings['POOL_SCOPE']}/providers/Microsoft.Authorization/roleAssignments?{query}"
    while url:
        page = _get_json(url, {"Authorization": f"Bearer {token}"})
        for assignment in page.get("value", []):
            role = assignment.get("properties", {}).get("roleDefinitionId", "")
            if role.rsplit("/", 1)[-1].lower() in LOGIN_ROLES:
                return True
        url = page.get("nextLink")
        if url and not url.startswith(arm + "/"):
            return False
    return False


async def make_share_folder(spawner):
    """The member's folder on the share and its ~/notebooks/remote link, at first sign-in:
    the pool's share service (mount-share.sh) makes them for every local account."""
    process = await asyncio.create_subprocess_exec(
        "systemctl", "start", "dsvm-pool-share.service",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.wait_for(process.wait(), timeout=90)
    except asyncio.TimeoutError:
        spawner.log.warning("The share folder of %s is made by the next timer run", spawner.user.name)


def configure(c, settings, secret):
    from oauthenticator.azuread import LocalAzureAdOAuthenticator

    class PoolAuthenticator(LocalAzureAdOAuthenticator):
        def user_info_to_username(self, user_info):
            object_id = user_info.get("oid", "")
            if not object_id:
                raise ValueError("Microsoft Entra gave no object id for this person")
            name = (
                user_info.get("preferred_username")
                or user_info.get("upn")
                or user_info.get("email")
                or ""
            )
            return linux_name(name, object_id)

        async def check_allowed(self, username, auth_model=None):
            if not auth_model:
                return False
            user = (auth_model.get("auth_state") or {}).get("user") or {}
            if str(user.get("tid", "")).lower() != settings["JUPYTERHUB_TENANT_ID"].lower():
                return False
            try:
                return await asyncio.to_thread(holds_login_role, settings, user.get("oid", ""))
            except Exception as error:  # noqa: BLE001 - a failed check lets nobody in
                self.log.warning("Membership of %s could not be checked: %s", username, error)
                return False

    login = settings["JUPYTERHUB_LOGIN_ENDPOINT"].rstrip("/")
    tenant = settings["JUPYTERHUB_TENANT_ID"]
    c.JupyterHub.authenticator_class = PoolAuthenticator
    c.PoolAuthenticator.tenant_id = tenant
    c.PoolAuthenticator.client_id = settings["JUPYTERHUB_CLIENT_ID"]
    c.PoolAuthenticator.client_secret = secret
    c.PoolAuthenticator.oauth_callback_url = settings["JUPYTERHUB_CALLBACK_URL"]
    c.PoolAuthenticator.authorize_url = f"{login}/{tenant}/oauth2/v2.0/authorize"
    c.PoolAuthenticator.token_url = f"{login}/{tenant}/oauth2/v2.0/token"
    c.PoolAuthenticator.scope = ["openid", "profile", "email"]
    c.PoolAuthenticator.login_service = "your Microsoft account"
    c.PoolAuthenticator.allow_all = False
    c.PoolAuthenticator.allow_existing_users = False
    c.PoolAuthenticator.allowed_users = set()
    c.PoolAuthenticator.admin_users = set()
    c.LocalAuthenticator.create_system_users = True
    c.Spawner.pre_spawn_hook = make_share_folder


if "get_config" in globals():
    c = get_config()  # noqa: F821 - given by JupyterHub when it loads this file
    _settings = load_settings()
    if _settings.get("IMAGE_CONFIG") and os.path.isfile(_settings["IMAGE_CONFIG"]):
        load_subconfig(_settings["IMAGE_CONFIG"])  # noqa: F821 - TLS, port, spawner of the image
    with open(SECRET_FILE) as _f:
        configure(c, _settings, _f.read().strip())
PY
}

write_dropin() {
  local args=""
  if ((${#hub_args[@]})); then args=" ${hub_args[*]}"; fi
  write_file "$dropin" 644 <<UNIT
# DSVM Pool Manager: JupyterHub signs members in with their Microsoft account.
[Service]
ExecStart=
ExecStart=$hub$args -f $config_file
UNIT
}

write_secret
# Nothing this script starts after this point needs the secret in its environment.
unset JUPYTERHUB_CLIENT_SECRET_BASE64
ensure_oauthenticator
export IMAGE_CONFIG="$image_config" IDENTITY_ENDPOINT="${IDENTITY_ENDPOINT:-}"
write_settings
write_config
write_dropin
if [[ -z "$root" ]] || command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
  systemctl restart "$unit" || fail "JupyterHub did not restart: journalctl -u $unit says why"
fi
echo "jupyterhub-entra: JupyterHub at ${JUPYTERHUB_CALLBACK_URL%/hub/oauth_callback} signs members in with their Microsoft account"
