#!/bin/bash
# Pool accounts on a Linux instance: the team's own Linux accounts where Microsoft Entra
# sign-in cannot be set up. Each member's app made their SSH key pair and a salted
# SHA-512-crypt hash of their JupyterHub password; only the public key and the hash come
# here. Run by the Custom Script extension before mount-share.sh (the same protected
# script), at every instance's provisioning and whenever the scale set's model changes
# (a manual upgrade of running instances), so every run makes the instance match the list:
#   - an account of the list that is missing is made (useradd, a home under /home);
#   - its password hash is set with `chpasswd -e`, which reads it from stdin;
#   - ~/.ssh/authorized_keys holds the member's public key, written as that user;
#   - an account this script made earlier that is no longer on the list is removed with its
#     home (the member's folder on the share stays: mount-share.sh keeps the share's data).
# Accounts this script did not make (the administrator, the image's own users) are never
# changed or removed; the names of those it made are kept in /var/lib/dsvm-pool/accounts
# (root, 0600; names only). Each user's folder on the share and its ~/notebooks/remote link
# come from mount-share.sh, which runs next and then every minute.
#
# Input comes from the environment only (arguments are visible to every local user in
# /proc/<pid>/cmdline): POOL_ACCOUNTS, base64 of one line per account,
#   <user name> TAB <$6$ hash> TAB <OpenSSH public key>
# and ROOT (a directory prefix for tests; empty on instances). An empty list removes every
# pool account.
set -euo pipefail
umask 022

fail() {
  echo "pool-accounts: $*" >&2
  exit 1
}
warn() { echo "pool-accounts: $*" >&2; }

root="${ROOT:-}"
state_file="/var/lib/dsvm-pool/accounts"
comment="DSVM pool account"

is_root() { [[ "$(id -u)" == 0 ]]; }

# Runs a command as the user: whatever links they made in their home, it can do only what
# they could do themselves.
as_user() {
  local uid="$1" gid="$2"
  shift 2
  setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- "$@"
}

valid_name() { [[ "$1" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]]; }
valid_hash() { [[ "$1" =~ ^\$6\$(rounds=[0-9]{4,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$ ]]; }
valid_key() {
  [[ "$1" =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))\ [A-Za-z0-9+/]+={0,3}(\ [[:print:]]*)?$ ]]
}

# name uid gid home of one user from /etc/passwd, or nothing.
passwd_entry() {
  awk -F: -v name="$1" '$1 == name { print $1, $3, $4, $6; exit }' "$root/etc/passwd"
}

current_hash() {
  local shadow="$root/etc/shadow"
  [[ -r "$shadow" ]] || return 0
  awk -F: -v name="$1" '$1 == name { print $2; exit }' "$shadow"
}

managed_accounts() {
  local file="$root$state_file"
  [[ -f "$file" && ! -L "$file" ]] || return 0
  grep -E '^[a-z_][a-z0-9_-]{0,31}$' "$file" || true
}

write_state() {
  local dir="$root${state_file%/*}" tmp
  mkdir -p "$dir"
  chmod 700 "$dir"
  tmp="$(mktemp "$dir/.accounts.XXXXXX")"
  chmod 600 "$tmp"
  printf '%s\n' "$@" | sed '/^$/d' >"$tmp"
  mv -fT "$tmp" "$root$state_file"
}

set_password() {
  local name="$1" hash="$2"
  [[ "$(current_hash "$name")" == "$hash" ]] && return 0
  # printf is a shell builtin: the hash reaches chpasswd on stdin, never in arguments.
  printf '%s:%s\n' "$name" "$hash" | chpasswd -e
}

# Writes ~/.ssh/authorized_keys as the user, from stdin, unless it already holds the key.
write_key() {
  local name="$1" uid="$2" gid="$3" home="$4" key="$5" file
  file="$root$home/.ssh/authorized_keys"
  if [[ -L "$root$home/.ssh" || -L "$file" ]]; then
    warn "$home/.ssh of $name is a symbolic link: not writing their key"
    return 0
  fi
  if [[ -f "$file" && "$(<"$file")" == "$key" ]]; then return 0; fi
  is_root || return 0
  # The key goes in on stdin; the paths are the inner shell's positional parameters.
  # shellcheck disable=SC2016
  printf '%s\n' "$key" | as_user "$uid" "$gid" /bin/sh -c \
    'umask 077 && mkdir -p "$1" && chmod 700 "$1" && cat >"$2.new" && mv -f "$2.new" "$2"' \
    sh "$root$home/.ssh" "$file" ||
    warn "the key of $name could not be written to $home/.ssh"
}

add_account() {
  local name="$1" hash="$2" key="$3" entry uid gid home
  if [[ -L "$root/home/$name" ]]; then
    warn "the home of $name (/home/$name) is a symbolic link: not making their account"
    return 1
  fi
  entry="$(passwd_entry "$name")"
  if [[ -z "$entry" ]]; then
    useradd --create-home --shell /bin/bash --comment "$comment" -- "$name"
    entry="$(passwd_entry "$name")"
    [[ -n "$entry" ]] || fail "useradd did not make $name"
    echo "pool-accounts: made the account $name"
  fi
  read -r _ uid gid home <<<"$entry"
  home="${home%/}"
  if [[ "$home" != "/home/$name" || -L "$root$home" ]]; then
    warn "the home of $name ($home) is not /home/$name or is a symbolic link: leaving the account alone"
    return 1
  fi
  set_password "$name" "$hash"
  write_key "$name" "$uid" "$gid" "$home" "$key"
}

remove_account() {
  local name="$1"
  [[ -n "$(passwd_entry "$name")" ]] || return 0
  # Their processes end first: userdel refuses a user who is still running something.
  pkill -KILL -u "$name" || true
  userdel --force --remove -- "$name" || warn "the account $name could not be removed"
  echo "pool-accounts: removed the account $name"
}

main() {
  local list
  list="$(printf '%s' "${POOL_ACCOUNTS:-}" | base64 -d)" || fail "POOL_ACCOUNTS is not base64"
  local -A wanted=()
  local -a names=()
  local managed
  managed=" $(managed_accounts | tr '\n' ' ') "
  local name hash key rest
  while IFS=$'\t' read -r name hash key rest; do
    [[ -z "$name" ]] && continue
    if ! valid_name "$name" || ! valid_hash "$hash" || ! valid_key "$key" || [[ -n "$rest" ]]; then
      warn "an entry of the list is not <name> <\$6\$ hash> <public key>: skipped"
      continue
    fi
    if [[ -n "${wanted[$name]:-}" ]]; then
      warn "$name is on the list twice: the first entry is used"
      continue
    fi
    wanted[$name]=1
    if [[ "$managed" != *" $name "* && -n "$(passwd_entry "$name")" ]]; then
      warn "$name is an account of the instance that this script did not make: leaving it alone"
      continue
    fi
    if add_account "$name" "$hash" "$key"; then names+=("$name"); fi
  done <<<"$list"

  for name in $managed; do
    if [[ -z "${wanted[$name]:-}" ]]; then
      remove_account "$name"
    elif [[ " ${names[*]} " != *" $name "* ]]; then
      # Still wanted but left alone this time (a refused home): still ours.
      names+=("$name")
    fi
  done
  write_state "${names[@]}"
}

main
