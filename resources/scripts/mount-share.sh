#!/bin/bash
# Mounts the pool's Azure Files share on a Linux instance, keeps it mounted across reboots,
# deallocate/start and storage key rotations, and gives every user a private folder.
#
# Layout on the instance (MOUNT_POINT is /mnt/dsvmshare by default):
#   /var/lib/dsvm-pool/share        the whole share, for root only (0700): folders are made here
#   MOUNT_POINT/notebooks/<user>    //account/share/notebooks/<user>, owned by <user>, 0700:
#                                   no other user can read or write it
#   MOUNT_POINT/team                //account/share/team, readable and writable by every user
#   ~<user>/notebooks/remote        a link to MOUNT_POINT/notebooks/<user>, made as <user>
#
# The storage key:
#   - With the pool's managed identity (KEY_SOURCE=identity), fetched at every run from the
#     instance metadata service (a token for Resource Manager) and Resource Manager's listKeys
#     on the one storage account the identity may read keys of. The newest key is used (a
#     rotation regenerates the older one), so a rotation is picked up at the next run.
#   - Otherwise (KEY_SOURCE=settings) from STORAGE_ACCOUNT_KEY, which the Custom Script
#     extension's protected settings put in the environment at deployment.
#   It is kept only in /etc/smbcredentials/<account>.cred (root, 0600), never on a command
#   line: every command this script runs is given file names, never the key or a token.
#
# The first run (from the Custom Script extension) installs this script, a configuration file
# without secrets and a systemd timer that runs it again at boot and every minute: new users
# get their folder, a rotated key is picked up and the share is remounted without a reboot.
#
# Input comes from the environment only (arguments are visible to every local user in
# /proc/<pid>/cmdline): STORAGE_ACCOUNT_NAME, SHARE_NAME, STORAGE_SUFFIX, MOUNT_POINT,
# KEY_SOURCE (identity | settings), STORAGE_ACCOUNT_KEY (settings only), IDENTITY_CLIENT_ID,
# STORAGE_ACCOUNT_ID, ARM_ENDPOINT (identity only), IDENTITY_ENDPOINT (default: the instance
# metadata service), ROOT (a directory prefix for tests; empty on instances).
# DSVM_POOL_TIMER=1 marks the timer's runs, which skip the installation steps.
set -euo pipefail
umask 022

fail() {
  echo "mount-share: $*" >&2
  exit 1
}
warn() { echo "mount-share: $*" >&2; }

[[ -n "${STORAGE_ACCOUNT_NAME:-}" ]] || fail "STORAGE_ACCOUNT_NAME is not set"
[[ -n "${SHARE_NAME:-}" ]] || fail "SHARE_NAME is not set"
[[ -n "${STORAGE_SUFFIX:-}" ]] || fail "STORAGE_SUFFIX is not set"
[[ "$STORAGE_ACCOUNT_NAME" =~ ^[a-z0-9]{3,24}$ ]] || fail "storage account name is not valid"
[[ "$SHARE_NAME" =~ ^[a-z0-9-]{3,63}$ ]] || fail "share name is not valid"
[[ "$STORAGE_SUFFIX" =~ ^[a-z0-9.-]+$ ]] || fail "storage suffix is not valid"

key_source="${KEY_SOURCE:-settings}"
case "$key_source" in
  settings)
    if [[ "${DSVM_POOL_TIMER:-}" != 1 ]]; then
      [[ -n "${STORAGE_ACCOUNT_KEY:-}" ]] || fail "STORAGE_ACCOUNT_KEY is not set"
    fi
    ;;
  identity)
    [[ "${IDENTITY_CLIENT_ID:-}" =~ ^[0-9a-fA-F-]{36}$ ]] || fail "IDENTITY_CLIENT_ID is not valid"
    [[ "${STORAGE_ACCOUNT_ID:-}" =~ ^/subscriptions/[^/?#[:space:]]+/resourceGroups/[^/?#[:space:]]+/providers/Microsoft\.Storage/storageAccounts/[a-z0-9]{3,24}$ ]] ||
      fail "STORAGE_ACCOUNT_ID is not a storage account's resource id"
    [[ "${ARM_ENDPOINT:-}" =~ ^https?://[A-Za-z0-9.:-]+/?$ ]] || fail "ARM_ENDPOINT is not valid"
    ;;
  *) fail "KEY_SOURCE must be identity or settings" ;;
esac

mount_point="${MOUNT_POINT:-/mnt/dsvmshare}"
[[ "$mount_point" =~ ^/[A-Za-z0-9._/-]+$ && "$mount_point" != *..* ]] ||
  fail "mount point must be an absolute path"
mount_point="${mount_point%/}"
root="${ROOT:-}"

host="$STORAGE_ACCOUNT_NAME.file.$STORAGE_SUFFIX"
unc="//$host/$SHARE_NAME"
state_dir="/var/lib/dsvm-pool"
share_root="$state_dir/share"
cred_dir="/etc/smbcredentials"
cred_file="$cred_dir/$STORAGE_ACCOUNT_NAME.cred"
config_file="/etc/dsvm-pool/share.env"
installed_script="/usr/local/lib/dsvm-pool/mount-share.sh"
unit_dir="/etc/systemd/system"
imds_address="169.254.169.254"
identity_endpoint="${IDENTITY_ENDPOINT:-http://$imds_address/metadata/identity/oauth2/token}"
key_changed=no

is_root() { [[ "$(id -u)" == 0 ]]; }

ensure_cifs_utils() {
  if [[ -x "$root/sbin/mount.cifs" || -x "$root/usr/sbin/mount.cifs" ]]; then return; fi
  echo "mount-share: installing cifs-utils"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q cifs-utils </dev/null
}

# Only root may ask the metadata service for the pool identity's token: otherwise any user
# on the instance could list the storage account's keys with it.
restrict_metadata_service() {
  [[ "$key_source" == identity ]] || return 0
  local rule=(OUTPUT -d "$imds_address" -p tcp --dport 80 -m owner ! --uid-owner 0 -j REJECT)
  if ! iptables -w -C "${rule[@]}" 2>/dev/null; then
    iptables -w -I "${rule[@]}"
  fi
}

# Prints the newest full-permission key of the account (a rotation regenerates the older
# one), reading the listKeys answer from stdin.
newest_key() {
  python3 -c '
import json, sys
keys = [k for k in json.load(sys.stdin).get("keys", [])
        if str(k.get("permissions", "")).lower() == "full" and k.get("value")]
if not keys:
    sys.exit("listKeys returned no key")
keys.sort(key=lambda k: k.get("keyName", ""))
keys.sort(key=lambda k: k.get("creationTime", ""), reverse=True)
sys.stdout.write(keys[0]["value"])
'
}

access_token() {
  python3 -c '
import json, sys
token = json.load(sys.stdin).get("access_token")
if not token:
    sys.exit("the metadata service returned no token")
sys.stdout.write(token)
'
}

# The key through the pool's managed identity. The token travels to curl in a config file
# read from stdin (-K -), not as an argument.
key_from_identity() {
  local arm="${ARM_ENDPOINT%/}" token_answer token keys_answer
  token_answer="$(curl -sS --fail --max-time 10 --retry 5 --retry-connrefused \
    -H 'Metadata: true' --get \
    --data-urlencode 'api-version=2018-02-01' \
    --data-urlencode "resource=$arm/" \
    --data-urlencode "client_id=$IDENTITY_CLIENT_ID" \
    "$identity_endpoint")" || {
    warn "the instance metadata service gave no token for the pool's identity"
    return 1
  }
  token="$(access_token <<<"$token_answer")" || return 1
  keys_answer="$(printf 'header = "Authorization: Bearer %s"\n' "$token" |
    curl -sS --fail --max-time 15 --retry 3 -X POST -H 'Content-Length: 0' -K - \
      "$arm$STORAGE_ACCOUNT_ID/listKeys?api-version=2023-05-01")" || {
    warn "Resource Manager did not list the storage account's keys for the pool's identity"
    return 1
  }
  newest_key <<<"$keys_answer"
}

# Writes the credentials file when the key differs from the one in it (sets key_changed).
write_credentials() {
  local key="$1" dir="$root$cred_dir" file="$root$cred_file" wanted current="" tmp
  wanted="$(printf 'username=%s\npassword=%s' "$STORAGE_ACCOUNT_NAME" "$key")"
  if [[ -f "$file" && ! -L "$file" ]]; then current="$(<"$file")"; fi
  [[ "$current" == "$wanted" ]] && return 0
  (
    umask 077
    mkdir -p "$dir"
    chmod 700 "$dir"
    tmp="$(mktemp "$dir/.cred.XXXXXX")"
    # printf is a shell builtin: the key never appears in a process's arguments.
    printf '%s\n' "$wanted" >"$tmp"
    chmod 600 "$tmp"
    if is_root; then chown 0:0 "$tmp"; fi
    mv -fT "$tmp" "$file"
  )
  if [[ -n "$current" ]]; then key_changed=yes; fi
}

refresh_key() {
  local key
  if [[ "$key_source" == identity ]]; then
    if key="$(key_from_identity)"; then
      write_credentials "$key"
    elif [[ -f "$root$cred_file" ]]; then
      warn "keeping the key the instance already has"
    fi
  elif [[ -n "${STORAGE_ACCOUNT_KEY:-}" ]]; then
    write_credentials "$STORAGE_ACCOUNT_KEY"
  fi
  [[ -f "$root$cred_file" ]]
}

# Earlier versions of this script mounted the share through an fstab line with this marker.
remove_old_fstab_entry() {
  local fstab="$root/etc/fstab" marker="# dsvm-pool share" tmp
  [[ -f "$fstab" ]] && grep -qF -- "$marker" "$fstab" || return 0
  tmp="$(mktemp "$fstab.XXXXXX")"
  grep -vF -- "$marker" "$fstab" >"$tmp" || true
  chmod 644 "$tmp"
  mv -fT "$tmp" "$fstab"
}

# mount_cifs <remote path under the share, or empty> <local directory> <uid> <gid> <dir mode> <file mode>
mount_cifs() {
  local remote="$1" local_dir="$2" uid="$3" gid="$4" dir_mode="$5" file_mode="$6" options
  options="credentials=$cred_file,vers=3.1.1,uid=$uid,gid=$gid,forceuid,forcegid"
  options+=",dir_mode=$dir_mode,file_mode=$file_mode,serverino,actimeo=30,mfsymlinks"
  if mountpoint -q "$root$local_dir"; then
    [[ "$key_changed" == yes ]] || return 0
    # A lazy unmount lets programs that have files open finish with the old connection
    # (the previous key stays valid until the next rotation); new opens use the new key.
    umount -l "$root$local_dir" || true
  fi
  mount -t cifs "$unc${remote:+/$remote}" "$local_dir" -o "$options"
}

# Local directories a mount goes on: root's, mode 0755, never a symlink.
make_mount_dir() {
  local dir="$root$1"
  if [[ -L "$dir" ]]; then fail "$1 is a symbolic link: refusing to mount there"; fi
  if mountpoint -q "$dir"; then return 0; fi
  mkdir -p "$dir"
  chmod "${2:-755}" "$dir"
}

mount_share_root() {
  if ! mount_cifs "" "$share_root" 0 0 0700 0600; then
    warn "the share could not be mounted now (is port 445 reachable?); trying again in a minute"
    return 1
  fi
}

# A folder of the share, made through root's mount. Refuses a symbolic link there: folders are
# only ever made by this script.
share_folder() {
  local path="$root$share_root/$1"
  if [[ -L "$path" ]]; then
    warn "$1 on the share is a symbolic link: leaving it alone"
    return 1
  fi
  mkdir -p "$path"
}

mount_team_folder() {
  if ! share_folder team; then return 0; fi
  make_mount_dir "$mount_point/team"
  mount_cifs team "$mount_point/team" 0 0 0777 0666 || warn "the team folder could not be mounted now"
}

# Users with a home under /home: name, uid, gid, home (uid 1000 to 59999, as Ubuntu makes them).
pool_users() {
  local passwd="$root/etc/passwd"
  [[ -r "$passwd" ]] || return 0
  awk -F: '$3 >= 1000 && $3 < 60000 && $6 ~ /^\/home\/[^\/]+\/?$/ { print $1, $3, $4, $6 }' "$passwd"
}

# Runs a command as the user: whatever links they made in their home, it can do only what
# they could do themselves.
as_user() {
  local uid="$1" gid="$2"
  shift 2
  setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- "$@"
}

user_folder() {
  local user="$1" uid="$2" gid="$3" home="$4" mounted="$5" folder link
  [[ "$user" =~ ^[a-z_][a-z0-9_.-]*$ ]] || return 0
  folder="$mount_point/notebooks/$user"
  if [[ "$mounted" == yes && ! -L "$root$share_root/notebooks" ]] && share_folder "notebooks/$user"; then
    make_mount_dir "$folder"
    mount_cifs "notebooks/$user" "$folder" "$uid" "$gid" 0700 0600 ||
      warn "the folder of $user could not be mounted now"
  fi

  home="${home%/}"
  if [[ -L "$root$home" ]]; then
    warn "the home of $user ($home) is a symbolic link: not linking their folder"
    return 0
  fi
  [[ -d "$root$home" ]] || return 0
  if [[ "$(stat -c %u "$root$home")" != "$uid" ]]; then
    warn "the home of $user ($home) is not theirs: not linking their folder"
    return 0
  fi
  if [[ -L "$root$home/notebooks" ]]; then
    warn "$home/notebooks of $user is a symbolic link: not linking their folder"
    return 0
  fi
  link="$root$home/notebooks/remote"
  if [[ -L "$link" && "$(readlink "$link")" == "$folder" ]]; then return 0; fi
  if [[ -e "$link" && ! -L "$link" ]]; then
    warn "$home/notebooks/remote of $user is not a link: leaving it alone"
    return 0
  fi
  is_root || return 0
  if ! as_user "$uid" "$gid" mkdir -p -- "$root$home/notebooks" ||
    ! as_user "$uid" "$gid" ln -sfnT -- "$folder" "$link"; then
    warn "the link to the folder of $user could not be made in $home/notebooks"
  fi
}

write_file() {
  local path="$root$1" mode="$2" tmp
  mkdir -p "$(dirname "$path")"
  tmp="$(mktemp "$path.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  mv -fT "$tmp" "$path"
}

install_timer() {
  mkdir -p "$root$(dirname "$installed_script")"
  install -m 0755 -- "${BASH_SOURCE[0]}" "$root$installed_script"
  {
    printf 'STORAGE_ACCOUNT_NAME=%s\nSHARE_NAME=%s\nSTORAGE_SUFFIX=%s\nMOUNT_POINT=%s\nKEY_SOURCE=%s\n' \
      "$STORAGE_ACCOUNT_NAME" "$SHARE_NAME" "$STORAGE_SUFFIX" "$mount_point" "$key_source"
    if [[ "$key_source" == identity ]]; then
      printf 'IDENTITY_CLIENT_ID=%s\nSTORAGE_ACCOUNT_ID=%s\nARM_ENDPOINT=%s\n' \
        "$IDENTITY_CLIENT_ID" "$STORAGE_ACCOUNT_ID" "$ARM_ENDPOINT"
      if [[ -n "${IDENTITY_ENDPOINT:-}" ]]; then
        printf 'IDENTITY_ENDPOINT=%s\n' "$IDENTITY_ENDPOINT"
      fi
    fi
  } | write_file "$config_file" 644
  write_file "$unit_dir/dsvm-pool-share.service" 644 <<UNIT
[Unit]
Description=Mount the DSVM pool's shared Azure Files folders
Wants=network-online.target
After=network-online.target
Before=jupyterhub.service

[Service]
Type=oneshot
EnvironmentFile=$config_file
Environment=DSVM_POOL_TIMER=1
ExecStart=/bin/bash $installed_script

[Install]
WantedBy=multi-user.target
UNIT
  write_file "$unit_dir/dsvm-pool-share.timer" 644 <<UNIT
[Unit]
Description=Keep the DSVM pool's share mounted: new users, rotated storage keys

[Timer]
OnBootSec=5s
OnUnitActiveSec=1min
AccuracySec=5s

[Install]
WantedBy=timers.target
UNIT
  if command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload || true
    # The service at boot (ordered before JupyterHub), the timer every minute after.
    systemctl enable dsvm-pool-share.service || warn "the service could not be enabled"
    systemctl enable --now dsvm-pool-share.timer || warn "the timer could not be started"
  fi
}

main() {
  if [[ "${DSVM_POOL_TIMER:-}" != 1 ]]; then
    ensure_cifs_utils
    remove_old_fstab_entry
  fi
  restrict_metadata_service
  make_mount_dir "$mount_point"
  make_mount_dir "$mount_point/notebooks"
  make_mount_dir "$state_dir" 700
  make_mount_dir "$share_root" 700
  local mounted=no
  if ! refresh_key; then
    # A new role assignment can take minutes to reach Resource Manager: not an error yet.
    warn "no storage key yet: the share is mounted as soon as there is one (tried every minute)"
  elif mount_share_root; then
    mounted=yes
    mount_team_folder
  fi
  local user uid gid home
  while read -r user uid gid home; do
    if [[ -z "$user" ]]; then continue; fi
    user_folder "$user" "$uid" "$gid" "$home" "$mounted"
  done < <(pool_users)
  if [[ "${DSVM_POOL_TIMER:-}" != 1 ]]; then
    install_timer
    echo "mount-share: $unc is set up at $mount_point"
  fi
}

main
