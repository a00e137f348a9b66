set -u
LC_ALL=C
export LC_ALL
PATH=__PATH__
export PATH

herald_root=/
herald_timeout=__TIMEOUT__
herald_usage() {
  printf 'usage: %s [--root DIR] [--timeout SECONDS]\n' "$0"
}
while [ $# -gt 0 ]; do
  case $1 in
    --root) [ $# -ge 2 ] || { herald_usage >&2; exit 2; }; herald_root=$2; shift 2 ;;
    --root=*) herald_root=${1#--root=}; shift ;;
    --timeout) [ $# -ge 2 ] || { herald_usage >&2; exit 2; }; herald_timeout=$2; shift 2 ;;
    --timeout=*) herald_timeout=${1#--timeout=}; shift ;;
    -h|--help) herald_usage; exit 0 ;;
    *) printf '%s: unknown argument: %s\n' "$0" "$1" >&2; herald_usage >&2; exit 2 ;;
  esac
done
case $herald_timeout in
  ''|*[!0-9]*|0) printf '%s: --timeout must be a whole number of seconds above 0\n' "$0" >&2; exit 2 ;;
esac
if [ ! -d "$herald_root" ]; then
  printf '%s: --root %s is not a directory\n' "$0" "$herald_root" >&2
  exit 2
fi
herald_prefix=$(cd "$herald_root" && pwd -P) || exit 2
[ "$herald_prefix" = / ] && herald_prefix=
