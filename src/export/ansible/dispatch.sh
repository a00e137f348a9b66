# One check per run, for the Ansible export, which pipes this program to
# `sh -s` and passes every value in the environment: Ansible expands `$VAR`
# and `~` in command arguments, but never in environment values or stdin.
# HERALD_CHECK is `file` (ARG1..5: kind, path, ERE, pattern, units) or `command`
# (ARG1: the command, ARG2: exit, stdout or version, then exit: code;
# stdout: ERE, pattern, units; version: scheme, operator, version, and for a
# package query with not_installed: manager, name, verdict).
herald_timeout=$HERALD_TIMEOUT herald_root=$HERALD_ROOT
set -- "$HERALD_CHECK" "$HERALD_ID" "${HERALD_ARG1-}" "${HERALD_ARG2-}" "${HERALD_ARG3-}" "${HERALD_ARG4-}" "${HERALD_ARG5-}" "${HERALD_ARG6-}" "${HERALD_ARG7-}" "${HERALD_ARG8-}"
herald_prefix=$(cd "$herald_root" && pwd -P) || { herald_result error "$2" "root $herald_root is not a directory"; exit 0; }
[ "$herald_prefix" = / ] && herald_prefix=
case $herald_timeout in
  ''|*[!0-9]*|0) herald_result error "$2" "herald_timeout $herald_timeout is not a whole number of seconds above 0"; exit 0 ;;
esac

# Debian and RPM versions are compared by the host's own packaging tool
# (herald_check_versions with this comparer); the other schemes by awk
# (herald_check_version).
herald_compare_package() {
  if [ "$4" = deb ]; then
    case $2 in '<') herald_op=lt ;; '<=') herald_op=le ;; '=') herald_op=eq ;; '>=') herald_op=ge ;; '>') herald_op=gt ;; *) herald_op=ne ;; esac
    # dpkg only warns about some malformed versions and compares anyway.
    herald_err=$(dpkg --compare-versions "$1" "$herald_op" "$3" 2>&1)
    herald_status=$?
    if [ -n "$herald_err" ] || [ "$herald_status" -gt 1 ]; then
      # Which of the two dpkg refused: the output, or the fixed version.
      if [ -n "$(dpkg --compare-versions "$1" eq "$1" 2>&1)" ]; then herald_cmp=invalid-a; else herald_cmp=invalid-b; fi
    elif [ "$herald_status" -eq 0 ]; then herald_cmp=yes
    else herald_cmp=no
    fi
    return
  fi
  herald_rpm_evr='([0-9]+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?'
  if ! printf '%s\n' "$1" | grep -E -q -x -e "$herald_rpm_evr"; then herald_cmp=invalid-a; return; fi
  if ! printf '%s\n' "$3" | grep -E -q -x -e "$herald_rpm_evr"; then herald_cmp=invalid-b; return; fi
  herald_cmp=$(HERALD_A=$1 HERALD_B=$3 rpm --eval "$herald_rpm_compare" 2>/dev/null)
  case $herald_cmp in
    -1|0|1) if herald_holds "$2" "$herald_cmp"; then herald_cmp=yes; else herald_cmp=no; fi ;;
    *) herald_cmp="rpm could not compare \"$1\" with \"$3\"" ;;
  esac
}

if [ "$1" = file ]; then
  herald_check_file "$2" "$3" "$4" "$5" "$6" "$7"
  exit 0
fi
if [ -n "$herald_prefix" ]; then
  herald_result skipped "$2" "__SKIPPED__"
  exit 0
fi
herald_id=$2
herald_run "$3"
case $4 in
  exit) herald_check_exit "$herald_id" "$5" ;;
  stdout) herald_check_stdout "$herald_id" "$5" "$6" "$7" ;;
  *)
    if [ -n "${10}" ] && herald_check_not_installed "$herald_id" "$8" "$9" "${10}"; then exit 0; fi
    case $5 in
      deb|rpm) herald_check_versions "$herald_id" "$5" "$6" "$7" herald_compare_package ;;
      *) herald_check_version "$herald_id" "$5" "$6" "$7" ;;
    esac ;;
esac
