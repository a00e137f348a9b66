herald_passed=0 herald_failed=0 herald_errors=0 herald_skipped=0
herald_result() {
  case $1 in
    pass) herald_passed=$((herald_passed + 1)); herald_mark='PASS ' ;;
    fail) herald_failed=$((herald_failed + 1)); herald_mark='FAIL ' ;;
    error) herald_errors=$((herald_errors + 1)); herald_mark='ERROR' ;;
    *) herald_skipped=$((herald_skipped + 1)); herald_mark='SKIP ' ;;
  esac
  printf '%s  %s  %s\n' "$herald_mark" "$2" "$3"
}

# A command's stderr goes to a private temporary folder (mktemp -d), so
# that the last line it wrote can be quoted as herald check quotes it;
# without mktemp it is dropped.
herald_tmp=$(mktemp -d 2>/dev/null) || herald_tmp=
herald_errfile=${herald_tmp:+$herald_tmp/stderr}
if [ -n "$herald_tmp" ]; then
  trap 'rm -rf "$herald_tmp"' EXIT
  trap 'exit 130' HUP INT TERM
fi

# How a command is stopped after --timeout seconds, with every process it
# started, as herald check kills its process group. GNU timeout does so
# and exits 124. BusyBox's timeout (Alpine's) kills the one process: what
# it started keeps running and holding the output open, and its exit
# status 143 is one a command may give too. Elsewhere the script is the
# watchdog: the command runs in a session of its own (setsid), whose
# process group is killed. Without either, commands run without a limit.
if timeout --version 2>/dev/null | grep -q 'GNU coreutils'; then herald_watch=timeout
elif [ -n "$herald_tmp" ] && command -v setsid >/dev/null 2>&1; then herald_watch=setsid
else herald_watch=
fi

# An awk function both readers of UTF-8 below share (each program sets
# ord[], a byte's value by its character): herald_utf8_next(text, i, n)
# returns where the character at byte i of text ends, and sets
# herald_utf8_ok (0 when the bytes there are not UTF-8: the lead byte
# alone, or the bytes up to the first that does not continue it, stand
# for U+FFFD) and herald_utf8_wide (1 for a character beyond the BMP,
# two UTF-16 units, as JavaScript counts).
herald_utf8_awk='function herald_utf8_next(text, i, n,    b, need, lo, hi, j, k, c) {
  b = ord[substr(text, i, 1)]; herald_utf8_ok = 1; herald_utf8_wide = 0
  if (b < 128) return i + 1
  if (b >= 194 && b <= 223) { need = 1; lo = 128; hi = 191 }
  else if (b == 224) { need = 2; lo = 160; hi = 191 }
  else if (b == 237) { need = 2; lo = 128; hi = 159 }
  else if (b >= 225 && b <= 239) { need = 2; lo = 128; hi = 191 }
  else if (b == 240) { need = 3; lo = 144; hi = 191 }
  else if (b == 244) { need = 3; lo = 128; hi = 143 }
  else if (b >= 241 && b <= 243) { need = 3; lo = 128; hi = 191 }
  else { herald_utf8_ok = 0; return i + 1 }
  j = i + 1
  for (k = 1; k <= need; k++) {
    c = (j <= n) ? ord[substr(text, j, 1)] : 0
    if (c < lo || c > hi) { herald_utf8_ok = 0; return j }
    j++; lo = 128; hi = 191
  }
  herald_utf8_wide = (need == 3)
  return j
}
'
# Its standard input as herald check quotes a text (between the quotes):
# lines joined by spaces, control characters as spaces, read as UTF-8 (a
# byte that is not, as U+FFFD) and cut at 120 characters (UTF-16 units, as
# JavaScript counts them), \ and " escaped, and each run of C1 controls
# (NEL among them) and Unicode line breaks a space: Ansible splits its
# output lines at those, as herald check's lines make one line of them.
herald_shown() {
  awk "$herald_utf8_awk"'BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i; bad = "\357\277\275" }
  NR > 1 { text = text " " } { text = text $0 } END {
    gsub(/[\001-\037\177]/, " ", text)
    n = length(text); i = 1; units = 0; out = ""
    while (i <= n && units < 120) {
      j = herald_utf8_next(text, i, n)
      if (herald_utf8_ok) { out = out substr(text, i, j - i); units += herald_utf8_wide ? 2 : 1 }
      else { out = out bad; units++ }
      i = j
    }
    if (i <= n) out = out "\342\200\246"
    gsub(/(\302[\200-\237]|\342\200[\250\251])+/, " ", out)
    printf "%s", out
  }' | sed 's/[\\"]/\\&/g'
}

# Runs a verify command with a minimal environment and stdin closed; sets
# herald_out (stdout, trailing newlines removed), herald_rc and
# herald_stderr (the last line of stderr that is not blank, trimmed, as
# herald_shown gives it). Its stdout goes through the temporary folder,
# each NUL byte read back as \001: $(...) drops NUL bytes, so a line
# would be matched and quoted without them, where herald check sees them
# (and quotes them as spaces, as herald_shown does \001); no pattern of
# the portable subset tells \001 from NUL. Without mktemp they are dropped.
herald_timed_out=0
herald_stderr=
herald_run() {
  herald_timed_out=0
  if [ "$herald_watch" = setsid ]; then
    herald_run_in_session "$1"
  else
    [ "$herald_watch" = timeout ] && herald_started=$(date +%s)
    if [ -n "$herald_tmp" ]; then
      herald_command "$1" >"$herald_tmp/stdout"
      herald_rc=$?
    else
      herald_out=$(herald_command "$1")
      herald_rc=$?
    fi
    [ "$herald_watch" = timeout ] && herald_timed_out_under_timeout
  fi
  [ -n "$herald_tmp" ] && herald_out=$(tr '\000' '\001' <"$herald_tmp/stdout")
  herald_stderr=
  if [ -n "$herald_errfile" ]; then
    herald_stderr=$(awk 'NF { last = $0 } END { printf "%s", last }' "$herald_errfile" 2>/dev/null | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | herald_shown)
  fi
  return 0
}

# The command, under GNU timeout when the script has it.
herald_command() {
  if [ "$herald_watch" = timeout ]; then env -i PATH="$PATH" LC_ALL=C timeout -k 5 "$herald_timeout" /bin/sh -c "$1"
  else env -i PATH="$PATH" LC_ALL=C /bin/sh -c "$1"
  fi </dev/null 2>"${herald_errfile:-/dev/null}"
}

# Whether GNU timeout stopped the command (herald_timed_out): it exits
# 124 when TERM ended it. A command that ignores TERM (trap '' TERM) is
# killed 5 seconds later, timeout with it (KILL goes to their process
# group), and the status is 137, as of a command that exits 137 itself.
# The clock tells them apart: after more than --timeout whole seconds
# TERM was sent, so the command did not end on its own.
herald_timed_out_under_timeout() {
  case $herald_rc in
    124) herald_timed_out=1 ;;
    137) [ $(($(date +%s) - herald_started)) -gt "$herald_timeout" ] && herald_timed_out=1 ;;
  esac
}

# herald_run with the script as the watchdog (herald_watched).
herald_run_in_session() {
  herald_watched /dev/null "$herald_tmp/stdout" "$herald_errfile" env -i PATH="$PATH" LC_ALL=C /bin/sh -c "$1"
  herald_rc=$herald_watched_rc
}

# herald_watched IN OUT ERR COMMAND...: runs COMMAND in a session of its
# own (setsid), reading IN and writing OUT and ERR; sets herald_watched_rc;
# the session is sent TERM after --timeout seconds (a mark in the
# temporary folder says so, and herald_timed_out is 1), then KILL 5
# seconds later; the watchdog, in a session of its own too, is killed
# with its sleep once the command is done. The shell's report of a
# process killed by a signal is not printed.
herald_watched() {
  herald_timed_out=0
  rm -f "$herald_tmp/timed-out"
  herald_in=$1 herald_to=$2 herald_err=$3
  shift 3
  setsid "$@" <"$herald_in" >"$herald_to" 2>"$herald_err" &
  herald_pid=$!
  setsid /bin/sh -c 'sleep "$1"; : >"$3"; kill -TERM -"$2" 2>/dev/null || { rm -f "$3"; exit; }; sleep 5; kill -KILL -"$2" 2>/dev/null' sh "$herald_timeout" "$herald_pid" "$herald_tmp/timed-out" </dev/null >/dev/null 2>&1 &
  herald_watcher=$!
  { wait "$herald_pid"; } 2>/dev/null
  herald_watched_rc=$?
  kill -TERM "$herald_watcher" -"$herald_watcher" 2>/dev/null
  { wait "$herald_watcher"; } 2>/dev/null
  [ -e "$herald_tmp/timed-out" ] && herald_timed_out=1
  return 0
}

# "exit status N", with the quoted last line of stderr when there is one.
herald_exit_note() {
  if [ -n "$herald_stderr" ]; then printf 'exit status %s: "%s"' "$herald_rc" "$herald_stderr"
  else printf 'exit status %s' "$herald_rc"
  fi
}

herald_check_exit() {
  if [ "$herald_timed_out" = 1 ]; then herald_result error "$1" "timed out after $herald_timeout s"
  elif [ "$herald_rc" -eq "$2" ]; then herald_result pass "$1" "exit status $herald_rc"
  else herald_result fail "$1" "exit status $herald_rc, expected $2${herald_stderr:+ ($(herald_exit_note))}"
  fi
}

# "line N matches /PATTERN/: "TEXT"" for the first of the lines grep -n
# found (herald_hit), as herald check says it.
herald_first_hit() {
  herald_first=$(printf '%s\n' "$herald_hit" | head -n 1)
  printf 'line %s matches /%s/: "%s"' "${herald_first%%:*}" "$1" "$(printf '%s' "${herald_first#*:}" | herald_shown)"
}

# Lines as grep reads them: of the file $1, or of the command's output
# when $1 is empty. An empty file is one empty line, as herald check and
# OVAL read it. grep reads a file with a NUL byte as binary: a NUL may end
# a line there, and no line is printed; so a NUL reaches grep as \001,
# which no pattern of the portable subset tells from it.
herald_lines() {
  if [ -z "$1" ]; then printf '%s\n' "$herald_out"
  elif [ -s "$1" ]; then tr '\000' '\001' <"$1"
  else printf '\n'
  fi
}

# Its standard input, each line one byte per UTF-16 unit as herald check
# (JavaScript) counts them, so that grep in the C locale counts as it does
# (src/export/regex.ts): ASCII kept; beyond it \200, or \201 for a Unicode
# space of \s, \202 for U+2028 and U+2029, \203... for the characters named
# in $1 ("units" and them, by spaces). Read as UTF-8: a byte that is not
# is U+FFFD, a character beyond the BMP two units.
herald_units() {
  HERALD_UNITS=$1 awk "$herald_utf8_awk"'BEGIN {
    for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
    n = split(ENVIRON["HERALD_UNITS"], own, " ")
    for (k = 2; k <= n; k++) unit[own[k]] = sprintf("%c", 129 + k)
    split("\302\240 \341\232\200 \342\200\257 \342\201\237 \343\200\200 \357\273\277", spaces, " ")
    for (k in spaces) space[spaces[k]] = 1
    for (c = 128; c <= 138; c++) space["\342\200" sprintf("%c", c)] = 1
    separator["\342\200\250"] = 1; separator["\342\200\251"] = 1
    bad = "\357\277\275"
  }
  function unitof(char) {
    if (char in unit) return unit[char]
    if (char in space) return "\201"
    if (char in separator) return "\202"
    return "\200"
  }
  !/[\200-\377]/ { print; next }
  {
    text = $0; n = length(text); i = 1; from = 1
    while (i <= n) {
      b = ord[substr(text, i, 1)]
      if (b < 128) { i++; continue }
      printf "%s", substr(text, from, i - from)
      j = herald_utf8_next(text, i, n)
      if (!herald_utf8_ok) printf "%s", unitof(bad)
      else if (herald_utf8_wide) printf "\200\200"
      else printf "%s", unitof(substr(text, i, j - i))
      i = j; from = j
    }
    printf "%s\n", substr(text, from)
  }'
}

# herald_match SOURCE ERE UNITS: sets herald_hit to "N:LINE" for the lines
# of SOURCE (herald_lines) that ERE matches, the first one first; returns
# grep's status, or 124 when grep ran past --timeout seconds (herald_grep).
# With UNITS, grep reads the lines as herald_units gives them, ERE is a
# printf format, and herald_hit is the first line as it is.
herald_match() {
  if [ -z "$3" ]; then
    herald_grep "$1" "$2" ''
    return
  fi
  herald_ere=$(printf "x$2")
  herald_grep "$1" "${herald_ere#x}" "$3"
  herald_status=$?
  [ "$herald_status" -eq 0 ] || return "$herald_status"
  herald_hit=${herald_hit%%:*}:$(herald_lines "$1" | awk -v n="${herald_hit%%:*}" 'NR == n { print; exit }')
}

# herald_grep SOURCE ERE UNITS: grep -E -n ERE on the lines herald_match
# reads, stopped as a command is after --timeout seconds (GNU timeout, or
# the script's watchdog): a pattern can keep grep busy for minutes on a
# line of four bytes. Without either, grep runs without a limit. The
# first line grep printed is enough (setsid).
herald_grep() {
  if [ "$herald_watch" = setsid ]; then
    herald_grep_input "$1" "$3" >"$herald_tmp/lines"
    herald_watched "$herald_tmp/lines" "$herald_tmp/hits" /dev/null grep -E -n -e "$2"
    [ "$herald_timed_out" = 1 ] && return 124
    herald_hit=$(head -n 1 "$herald_tmp/hits")
    return "$herald_watched_rc"
  elif [ "$herald_watch" = timeout ]; then
    herald_hit=$(herald_grep_input "$1" "$3" | timeout -k 5 "$herald_timeout" grep -E -n -e "$2" 2>/dev/null)
  else
    herald_hit=$(herald_grep_input "$1" "$3" | grep -E -n -e "$2" 2>/dev/null)
  fi
}

herald_grep_input() {
  if [ -z "$2" ]; then herald_lines "$1"
  else herald_lines "$1" | herald_units "$2"
  fi
}

# Word for word as herald check says it of a match that ran past the limit.
herald_too_slow() {
  printf 'matching /%s/ took longer than %s s: the pattern backtracks without end on some line; make it simpler (no quantifier inside a repeated group)' "$1" "$herald_timeout"
}

herald_check_stdout() {
  if [ "$herald_timed_out" = 1 ]; then herald_result error "$1" "timed out after $herald_timeout s"; return; fi
  herald_match '' "$2" "${4-}"
  case $? in
    0) herald_result pass "$1" "output $(herald_first_hit "$3")" ;;
    1) herald_result fail "$1" "no output line matches /$3/; output \"$(printf '%s' "$herald_out" | herald_shown)\" ($(herald_exit_note))" ;;
    124) herald_result error "$1" "$(herald_too_slow "$3")" ;;
    *) herald_result error "$1" "grep could not use the pattern /$3/" ;;
  esac
}

herald_awk='__AWK__'

herald_holds() {
  case $1 in
    '<') [ "$2" -lt 0 ] ;;
    '<=') [ "$2" -le 0 ] ;;
    '=') [ "$2" -eq 0 ] ;;
    '>=') [ "$2" -ge 0 ] ;;
    '>') [ "$2" -gt 0 ] ;;
    *) [ "$2" -ne 0 ] ;;
  esac
}

# Sets herald_v to the command's output, trimmed; reports the error and
# returns 1 when the command timed out or printed nothing.
herald_read_version() {
  if [ "$herald_timed_out" = 1 ]; then herald_result error "$1" "timed out after $herald_timeout s"; return 1; fi
  herald_v=$herald_out
  herald_v=${herald_v#"${herald_v%%[![:space:]]*}"}
  herald_v=${herald_v%"${herald_v##*[![:space:]]}"}
  if [ -z "$herald_v" ]; then herald_result error "$1" "command printed no version ($(herald_exit_note))"; return 1; fi
}

# ID MANAGER NAME VERDICT: for a package query whose note says what a host
# without the package counts as (not_installed), reports VERDICT and
# returns 0 when the query found no installed package, as herald check
# tells it: dpkg-query printed no version (exit status 0 or 1), rpm printed
# "package NAME is not installed" (exit status 1), or the package manager
# is not on the host (exit status 127, no output).
herald_check_not_installed() {
  [ "$herald_timed_out" = 1 ] && return 1
  if [ "$herald_rc" -eq 127 ]; then
    [ -z "$(printf '%s' "$herald_out" | tr -d '[:space:]')" ] || return 1
  elif [ "$2" = dpkg ]; then
    [ "$herald_rc" -le 1 ] && [ -z "$(printf '%s' "$herald_out" | tr -d '[:space:]')" ] || return 1
  else
    [ "$herald_rc" -eq 1 ] && printf '%s\n' "$herald_out" | grep -q -x -F -e "package $3 is not installed" || return 1
  fi
  herald_result "$4" "$1" "package $3 is not installed (not_installed: $4)"
}

# herald_check_versions ID SCHEME OP VERSION COMPARE: a version check, as
# herald check does it: every line of the output that is not blank
# (trimmed) is a version, and each must hold (a package installed for two
# architectures, or several kernels, prints one line each). COMPARE A OP B
# SCHEME sets herald_cmp to yes or no, invalid-a or invalid-b, or else the
# detail of an error. An invalid line is said first, then an invalid
# VERSION, then the first line that does not hold; "line N" only when there
# are several versions.
herald_check_versions() {
  herald_read_version "$1" || return 0
  herald_n=0 herald_count=0 herald_all= herald_bad= herald_bad_v= herald_bad_detail= herald_bad_b= herald_no= herald_no_v=
  while IFS= read -r herald_l; do
    herald_n=$((herald_n + 1))
    herald_l=${herald_l#"${herald_l%%[![:space:]]*}"}
    herald_l=${herald_l%"${herald_l##*[![:space:]]}"}
    [ -n "$herald_l" ] || continue
    herald_count=$((herald_count + 1))
    herald_all=${herald_all:+$herald_all, }$herald_l
    "$5" "$herald_l" "$3" "$4" "$2"
    case $herald_cmp in
      yes) ;;
      no) [ -n "$herald_no" ] || herald_no=$herald_n herald_no_v=$herald_l ;;
      invalid-b) herald_bad_b=1 ;;
      invalid-a) [ -n "$herald_bad" ] || herald_bad=$herald_n herald_bad_v=$herald_l ;;
      *) [ -n "$herald_bad" ] || herald_bad=$herald_n herald_bad_detail=$herald_cmp ;;
    esac
  done <<EOF
$herald_out
EOF
  herald_where=
  if [ -n "$herald_bad_detail" ]; then herald_result error "$1" "$herald_bad_detail"
  elif [ -n "$herald_bad" ]; then
    [ "$herald_count" -gt 1 ] && herald_where=" line $herald_bad"
    herald_result error "$1" "output$herald_where \"$(printf '%s' "$herald_bad_v" | herald_shown)\" is not a valid $2 version ($(herald_exit_note))"
  elif [ -n "$herald_bad_b" ]; then herald_result error "$1" "\"$4\" is not a valid $2 version"
  elif [ -n "$herald_no" ]; then
    [ "$herald_count" -gt 1 ] && herald_where="output line $herald_no: "
    herald_result fail "$1" "$herald_where$herald_no_v is not $3 $4 ($2)"
  else herald_result pass "$1" "$herald_all $3 $4 ($2)"
  fi
}

# Compares with the awk ports of herald's version schemes (herald_check_versions).
herald_compare_awk() {
  herald_cmp=$(HERALD_SCHEME=$4 HERALD_A=$1 HERALD_B=$3 awk "$herald_awk" </dev/null)
  case $herald_cmp in
    -1|0|1) if herald_holds "$2" "$herald_cmp"; then herald_cmp=yes; else herald_cmp=no; fi ;;
    invalid-a) ;;
    *) herald_cmp=invalid-b ;;
  esac
}

herald_check_version() {
  herald_check_versions "$1" "$2" "$3" "$4" herald_compare_awk
}

__RESOLVE__

herald_check_file() {
  if ! herald_resolve "$3"; then
    herald_result error "$1" "$3 cannot be read: $3: too many levels of symbolic links"
    return
  fi
  if [ ! -e "$herald_path" ]; then
    if [ "$2" = absent ]; then herald_result pass "$1" "$3 does not exist, so no line matches /$5/"
    else herald_result fail "$1" "$3 does not exist"
    fi
    return
  fi
  if [ ! -f "$herald_path" ]; then herald_result error "$1" "$3 is not a regular file"; return; fi
  # true, not ":": a special built-in whose redirection fails ends the whole script.
  if ! true 2>/dev/null <"$herald_path"; then herald_result error "$1" "$3 cannot be read"; return; fi
  herald_match "$herald_path" "$4" "${6-}"
  case $?:$2 in
    0:absent) herald_result fail "$1" "$3: $(herald_first_hit "$5")" ;;
    0:present) herald_result pass "$1" "$3: $(herald_first_hit "$5")" ;;
    1:absent) herald_result pass "$1" "$3: no line matches /$5/" ;;
    1:present) herald_result fail "$1" "$3: no line matches /$5/" ;;
    124:*) herald_result error "$1" "$(herald_too_slow "$5")" ;;
    *) herald_result error "$1" "grep could not use the pattern /$5/" ;;
  esac
}
