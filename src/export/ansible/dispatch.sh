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

# Debian and RPM versions are compared by the host's own packaging tool;
# the other schemes by awk (herald_check_version).
herald_check_package_version() {
  herald_read_version "$1" || return 0
  if [ "$2" = deb ]; then
    case $3 in '<') herald_op=lt ;; '<=') herald_op=le ;; '=') herald_op=eq ;; '>=') herald_op=ge ;; '>') herald_op=gt ;; *) herald_op=ne ;; esac
    # dpkg only warns about some malformed versions and compares anyway.
    herald_err=$(dpkg --compare-versions "$herald_v" "$herald_op" "$4" 2>&1)
    herald_cmp=$?
    if [ -n "$herald_err" ] || [ "$herald_cmp" -gt 1 ]; then
      # Which of the two dpkg refused: the output, or (as herald check says second) the fixed version.
      if [ -n "$(dpkg --compare-versions "$herald_v" eq "$herald_v" 2>&1)" ]; then herald_result error "$1" "output \"$(printf '%s' "$herald_v" | herald_shown)\" is not a valid deb version ($(herald_exit_note))"
      else herald_result error "$1" "\"$4\" is not a valid deb version"
      fi
    elif [ "$herald_cmp" -eq 0 ]; then herald_result pass "$1" "$herald_v $3 $4 (deb)"
    else herald_result fail "$1" "$herald_v is not $3 $4 (deb)"
    fi
    return
  fi
  herald_rpm_evr='([0-9]+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?'
  if ! printf '%s\n' "$herald_v" | grep -E -q -x -e "$herald_rpm_evr"; then
    herald_result error "$1" "output \"$(printf '%s' "$herald_v" | herald_shown)\" is not a valid rpm version ($(herald_exit_note))"
    return
  fi
  if ! printf '%s\n' "$4" | grep -E -q -x -e "$herald_rpm_evr"; then
    herald_result error "$1" "\"$4\" is not a valid rpm version"
    return
  fi
  herald_cmp=$(HERALD_A=$herald_v HERALD_B=$4 rpm --eval "$herald_rpm_compare" 2>/dev/null)
  case $herald_cmp in
    -1|0|1)
      if herald_holds "$3" "$herald_cmp"; then herald_result pass "$1" "$herald_v $3 $4 (rpm)"
      else herald_result fail "$1" "$herald_v is not $3 $4 (rpm)"
      fi ;;
    *) herald_result error "$1" "rpm could not compare \"$herald_v\" with \"$4\"" ;;
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
      deb|rpm) herald_check_package_version "$herald_id" "$5" "$6" "$7" ;;
      *) herald_check_version "$herald_id" "$5" "$6" "$7" ;;
    esac ;;
esac
