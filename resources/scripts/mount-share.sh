#!/bin/bash
# Mounts the pool's Azure Files share on a Linux instance so that it survives reboots and
# deallocate/start (the Custom Script extension does not run again then): an fstab entry
# with nofail,_netdev that systemd turns into a mount unit, and a root-only credentials file.
# Gives every user a notebooks/<user> folder on the share, linked at ~/notebooks/remote.
#
# Input comes from the environment only, never from arguments (arguments are visible to
# every local user in /proc/<pid>/cmdline):
#   STORAGE_ACCOUNT_NAME, STORAGE_ACCOUNT_KEY, SHARE_NAME, STORAGE_SUFFIX (core.windows.net
#   in Azure's public cloud), MOUNT_POINT (default /mnt/dsvmshare), ADMIN_USERNAME (optional,
#   linked even before first login), ROOT (a directory prefix for tests; empty on instances).
# Safe to run again: it replaces its own fstab line and links instead of adding more.
set -euo pipefail

fail() {
  echo "mount-share: $*" >&2
  exit 1
}

[[ -n "${STORAGE_ACCOUNT_NAME:-}" ]] || fail "STORAGE_ACCOUNT_NAME is not set"
[[ -n "${STORAGE_ACCOUNT_KEY:-}" ]] || fail "STORAGE_ACCOUNT_KEY is not set"
[[ -n "${SHARE_NAME:-}" ]] || fail "SHARE_NAME is not set"
[[ -n "${STORAGE_SUFFIX:-}" ]] || fail "STORAGE_SUFFIX is not set"
[[ "$STORAGE_ACCOUNT_NAME" =~ ^[a-z0-9]{3,24}$ ]] || fail "storage account name is not valid"
[[ "$SHARE_NAME" =~ ^[a-z0-9-]{3,63}$ ]] || fail "share name is not valid"

mount_point="${MOUNT_POINT:-/mnt/dsvmshare}"
[[ "$mount_point" =~ ^/[A-Za-z0-9._/-]+$ ]] || fail "mount point must be an absolute path"
mount_point="${mount_point%/}"
root="${ROOT:-}"

host="$STORAGE_ACCOUNT_NAME.file.$STORAGE_SUFFIX"
cred_dir="/etc/smbcredentials"
cred_file="$cred_dir/$STORAGE_ACCOUNT_NAME.cred"
fstab="$root/etc/fstab"
marker="# dsvm-pool share"

is_root() { [[ "$(id -u)" == 0 ]]; }

ensure_cifs_utils() {
  if [[ -x "$root/sbin/mount.cifs" || -x "$root/usr/sbin/mount.cifs" ]]; then return; fi
  echo "mount-share: installing cifs-utils"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q cifs-utils </dev/null
}

write_credentials() {
  local dir="$root$cred_dir" tmp
  (
    umask 077
    mkdir -p "$dir"
    chmod 700 "$dir"
    tmp="$(mktemp "$dir/.cred.XXXXXX")"
    # printf is a shell builtin: the key never appears in a process's arguments.
    printf 'username=%s\npassword=%s\n' "$STORAGE_ACCOUNT_NAME" "$STORAGE_ACCOUNT_KEY" >"$tmp"
    chmod 600 "$tmp"
    if is_root; then chown 0:0 "$tmp"; fi
    mv -f "$tmp" "$root$cred_file"
  )
}

write_fstab() {
  local options line tmp
  options="nofail,_netdev,x-systemd.automount,x-systemd.mount-timeout=30"
  options+=",credentials=$cred_file,vers=3.1.1,dir_mode=0777,file_mode=0777"
  options+=",serverino,nosharesock,actimeo=30,mfsymlinks"
  line="//$host/$SHARE_NAME $mount_point cifs $options 0 0 $marker"
  mkdir -p "$(dirname "$fstab")"
  touch "$fstab"
  tmp="$(mktemp "$fstab.XXXXXX")"
  # Keep every other line; drop ours and any other entry for the same mount point.
  awk -v mp="$mount_point" -v marker="$marker" \
    'index($0, marker) == 0 && !($1 !~ /^#/ && $2 == mp)' "$fstab" >"$tmp"
  printf '%s\n' "$line" >>"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$fstab"
}

mount_share() {
  mkdir -p "$root$mount_point"
  if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
  if mountpoint -q "$root$mount_point"; then return 0; fi
  if ! mount --fstab "$fstab" "$mount_point"; then
    echo "mount-share: the share could not be mounted now (is port 445 reachable?);" \
      "it will be mounted on first access" >&2
    return 1
  fi
}

# Users with a home under /home: uid >= 1000 in passwd, plus the administrator.
pool_users() {
  local passwd="$root/etc/passwd"
  {
    if [[ -r "$passwd" ]]; then
      awk -F: '$3 >= 1000 && $3 < 60000 && $6 ~ /^\/home\// { print $1 }' "$passwd"
    fi
    if [[ -n "${ADMIN_USERNAME:-}" ]]; then printf '%s\n' "$ADMIN_USERNAME"; fi
  } | sort -u
}

link_notebooks() {
  local user="$1" mounted="$2" home target link group
  [[ "$user" =~ ^[a-z_][a-z0-9_.-]*$ ]] || return 0
  home="/home/$user"
  target="$mount_point/notebooks/$user"
  link="$root$home/notebooks/remote"
  if [[ "$mounted" == yes ]]; then mkdir -p "$root$target"; fi
  mkdir -p "$root$home/notebooks"
  ln -sfn "$target" "$link"
  if is_root && id "$user" >/dev/null 2>&1; then
    group="$(id -gn "$user")"
    chown "$user:$group" "$root$home/notebooks"
    chown -h "$user:$group" "$link"
  fi
}

# Users created later (JupyterHub creates them at first sign-in) get their link at login.
write_login_hook() {
  local hook="$root/etc/profile.d/dsvm-pool-share.sh"
  mkdir -p "$(dirname "$hook")"
  cat >"$hook" <<HOOK
# Added by the DSVM pool: your folder on the pool's shared Azure Files share.
if [ -n "\${HOME:-}" ] && [ ! -e "\$HOME/notebooks/remote" ] && [ -d "$mount_point/notebooks" ]; then
  mkdir -p "$mount_point/notebooks/\$(id -un)" "\$HOME/notebooks" 2>/dev/null &&
    ln -s "$mount_point/notebooks/\$(id -un)" "\$HOME/notebooks/remote" 2>/dev/null
fi
HOOK
  chmod 644 "$hook"
}

main() {
  ensure_cifs_utils
  write_credentials
  write_fstab
  local mounted=no
  if mount_share; then mounted=yes; fi
  local user
  while IFS= read -r user; do
    [[ -n "$user" ]] && link_notebooks "$user" "$mounted"
  done < <(pool_users)
  write_login_hook
  echo "mount-share: //$host/$SHARE_NAME is set up at $mount_point"
}

main
