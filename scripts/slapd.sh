#!/usr/bin/env bash
# A throwaway OpenLDAP server for tests and benchmarks, as the current user, on 127.0.0.1.
#
#   scripts/slapd.sh start DIR PORT [LDAPS_PORT]   build cn=config from scratch in DIR (first
#                                                  time only) and start slapd; prints KEY=VALUE
#   scripts/slapd.sh stop DIR                      stop it (DIR stays, so start resumes it)
#
# mdb backend; schemas core, cosine, inetorgperson, nis, eduPerson, SCHAC and nlEduPerson (with
# the documentation arc 1.3.6.1.4.1.32473.1). Suffix dc=example,dc=nl with ou=people, ou=groups
# and ou=disabled; root DN cn=admin,dc=example,dc=nl. The password is $SLAPD_PASSWORD or a
# random one kept in DIR/password (mode 0600). With LDAPS_PORT a test CA and a server
# certificate for 127.0.0.1/localhost are generated (DIR/tls/ca.pem) and StartTLS works too.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
schema_dir=/etc/ldap/schema
slapd_bin="$(command -v slapd || echo /usr/sbin/slapd)"
slapadd_bin="$(command -v slapadd || echo /usr/sbin/slapadd)"
base_dn="dc=example,dc=nl"
root_dn="cn=admin,$base_dn"

die() { echo "slapd.sh: $*" >&2; exit 1; }

make_tls() {
  local dir="$1/tls"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=overstap test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/ext.cnf" -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir/ca.key" "$dir/server.key"
}

config_ldif() {
  local dir="$1" password="$2" tls="$3"
  cat <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcLogLevel: none
LDIF
  if [ "$tls" = yes ]; then
    cat <<LDIF
olcTLSCACertificateFile: $dir/tls/ca.pem
olcTLSCertificateFile: $dir/tls/server.pem
olcTLSCertificateKeyFile: $dir/tls/server.key
LDIF
  fi
  cat <<LDIF

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

LDIF
  for f in "$schema_dir/core.ldif" "$schema_dir/cosine.ldif" "$schema_dir/inetorgperson.ldif" \
    "$schema_dir/nis.ldif" "$root/mappings/ldap-schema/eduperson.ldif" \
    "$root/mappings/ldap-schema/schac.ldif" "$here/slapd/nleduperson-test.ldif"; do
    grep -v '^#' "$f" | sed -e '/^$/d'
    echo
  done
  cat <<LDIF
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $base_dn
olcDbDirectory: $dir/db
olcRootDN: $root_dn
olcRootPW: $password
olcDbMaxSize: 2147483648
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: member eq
olcDbIndex: uniqueMember eq
olcSizeLimit: unlimited
olcAccess: {0}to * by * read

LDIF
}

base_ldif() {
  cat <<LDIF
dn: $base_dn
objectClass: dcObject
objectClass: organization
dc: example
o: Overstap test

dn: ou=people,$base_dn
objectClass: organizationalUnit
ou: people

dn: ou=groups,$base_dn
objectClass: organizationalUnit
ou: groups

dn: ou=disabled,$base_dn
objectClass: organizationalUnit
ou: disabled
LDIF
}

wait_up() {
  local url="$1"
  for _ in $(seq 1 100); do
    if ldapsearch -x -H "$url" -s base -b "" -LLL 1.1 >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  local dir="${1:?DIR}" port="${2:?PORT}" ldaps_port="${3:-}"
  [ -x "$slapd_bin" ] || die "slapd is not installed (run scripts/install-test-deps.sh)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ ! -d "$dir/slapd.d" ]; then
    umask 077
    local password="${SLAPD_PASSWORD:-$(openssl rand -hex 16)}"
    printf '%s' "$password" >"$dir/password"
    local tls=no
    if [ -n "$ldaps_port" ]; then make_tls "$dir"; tls=yes; fi
    mkdir -p "$dir/slapd.d" "$dir/db"
    config_ldif "$dir" "$password" "$tls" >"$dir/config.ldif"
    "$slapadd_bin" -n 0 -F "$dir/slapd.d" -l "$dir/config.ldif" >"$dir/slapadd.log" 2>&1 ||
      die "slapadd of cn=config failed: $(tail -5 "$dir/slapadd.log")"
    base_ldif >"$dir/base.ldif"
    "$slapadd_bin" -n 1 -F "$dir/slapd.d" -l "$dir/base.ldif" >>"$dir/slapadd.log" 2>&1 ||
      die "slapadd of the base entries failed: $(tail -5 "$dir/slapadd.log")"
  fi
  local urls="ldap://127.0.0.1:$port/"
  [ -n "$ldaps_port" ] && urls="$urls ldaps://127.0.0.1:$ldaps_port/"
  "$slapd_bin" -h "$urls" -F "$dir/slapd.d" >"$dir/slapd.log" 2>&1 || die "slapd did not start: $(tail -5 "$dir/slapd.log")"
  wait_up "ldap://127.0.0.1:$port/" || die "slapd did not answer on 127.0.0.1:$port"
  echo "URL=ldap://127.0.0.1:$port"
  [ -n "$ldaps_port" ] && echo "LDAPS_URL=ldaps://127.0.0.1:$ldaps_port" && echo "CA_FILE=$dir/tls/ca.pem"
  echo "BASE_DN=$base_dn"
  echo "BIND_DN=$root_dn"
  echo "PASSWORD_FILE=$dir/password"
}

stop() {
  local dir="${1:?DIR}"
  [ -f "$dir/slapd.pid" ] || return 0
  local pid
  pid="$(cat "$dir/slapd.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$dir/slapd.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: slapd.sh start DIR PORT [LDAPS_PORT] | stop DIR" ;;
esac
