function ord_init(   i) { for (i = 32; i < 127; i++) ORD[sprintf("%c", i)] = i; ORD_READY = 1 }
function ch(s, i) { return substr(s, i, 1) }
function isdigit(c) { return c != "" && index("0123456789", c) > 0 }
function isalpha(c) { return c != "" && index("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", c) > 0 }
function sign(n) { return n < 0 ? -1 : (n > 0 ? 1 : 0) }
function strip_zeros(s) { sub(/^0+/, "", s); return s }
function numcmp(a, b) {
  a = strip_zeros(a); b = strip_zeros(b)
  if (length(a) != length(b)) return length(a) < length(b) ? -1 : 1
  return a == b ? 0 : (a < b ? -1 : 1)
}
function last_index(s, c,   i) { for (i = length(s); i > 0; i--) if (substr(s, i, 1) == c) return i; return 0 }

# Debian: dpkg lib/dpkg/version.c. Sets DEB_E, DEB_U, DEB_R.
function deb_parse(v,   c, e, rest, h) {
  c = index(v, ":"); e = "0"; rest = v
  if (c > 0) {
    e = substr(v, 1, c - 1)
    if (e !~ /^[+]?[0-9]+$/) return 0
    sub(/^[+]/, "", e)
    if (numcmp(e, "2147483647") > 0) return 0
    rest = substr(v, c + 1)
  }
  h = last_index(rest, "-")
  DEB_E = e
  DEB_U = h ? substr(rest, 1, h - 1) : rest
  DEB_R = h ? substr(rest, h + 1) : ""
  if (DEB_U !~ /^[0-9][A-Za-z0-9.+~:-]*$/) return 0
  if (h && DEB_R !~ /^[A-Za-z0-9.+~]+$/) return 0
  return 1
}
function deb_order(c) {
  if (c == "" || isdigit(c)) return 0
  if (isalpha(c)) return ORD[c]
  if (c == "~") return -1
  return ORD[c] + 256
}
function deb_fragment(a, b,   i, j, la, lb, ac, bc, fd) {
  i = 1; j = 1; la = length(a); lb = length(b)
  while (i <= la || j <= lb) {
    while ((i <= la && !isdigit(ch(a, i))) || (j <= lb && !isdigit(ch(b, j)))) {
      ac = deb_order(ch(a, i)); bc = deb_order(ch(b, j))
      if (ac != bc) return ac < bc ? -1 : 1
      i++; j++
    }
    while (ch(a, i) == "0") i++
    while (ch(b, j) == "0") j++
    fd = 0
    while (isdigit(ch(a, i)) && isdigit(ch(b, j))) {
      if (!fd) fd = ORD[ch(a, i)] - ORD[ch(b, j)]
      i++; j++
    }
    if (isdigit(ch(a, i))) return 1
    if (isdigit(ch(b, j))) return -1
    if (fd) return sign(fd)
  }
  return 0
}
function deb_cmp(a, b,   ae, au, ar, r) {
  if (!deb_parse(a)) return "invalid-a"
  ae = DEB_E; au = DEB_U; ar = DEB_R
  if (!deb_parse(b)) return "invalid-b"
  r = numcmp(ae, DEB_E); if (r) return r
  r = deb_fragment(au, DEB_U); if (r) return r
  return deb_fragment(ar, DEB_R)
}

# RPM: rpmio/rpmvercmp.c and rpmio/rpmver.c (rpm >= 4.16).
function rpm_valid(v) { return v ~ /^([0-9]+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/ }
function rpm_sep(c) { return c != "" && !isdigit(c) && !isalpha(c) && c != "~" && c != "^" }
function rpmvercmp(a, b,   i, j, la, lb, ei, ej, sa, sb, num) {
  if (a == b) return 0
  i = 1; j = 1; la = length(a); lb = length(b)
  while (i <= la || j <= lb) {
    while (i <= la && rpm_sep(ch(a, i))) i++
    while (j <= lb && rpm_sep(ch(b, j))) j++
    if (ch(a, i) == "~" || ch(b, j) == "~") {
      if (ch(a, i) != "~") return 1
      if (ch(b, j) != "~") return -1
      i++; j++; continue
    }
    if (ch(a, i) == "^" || ch(b, j) == "^") {
      if (i > la) return -1
      if (j > lb) return 1
      if (ch(a, i) != "^") return 1
      if (ch(b, j) != "^") return -1
      i++; j++; continue
    }
    if (i > la || j > lb) break
    num = isdigit(ch(a, i)); ei = i; ej = j
    if (num) { while (isdigit(ch(a, ei))) ei++; while (isdigit(ch(b, ej))) ej++ }
    else { while (isalpha(ch(a, ei))) ei++; while (isalpha(ch(b, ej))) ej++ }
    if (ej == j) return num ? 1 : -1
    sa = substr(a, i, ei - i); sb = substr(b, j, ej - j)
    if (num) { sa = strip_zeros(sa); sb = strip_zeros(sb); if (length(sa) != length(sb)) return length(sa) < length(sb) ? -1 : 1 }
    if (sa != sb) return sa < sb ? -1 : 1
    i = ei; j = ej
  }
  if (i > la && j > lb) return 0
  return i > la ? -1 : 1
}
# Sets RPM_E, RPM_V, RPM_R (RPM_HAS_R says whether a release is present).
function rpm_parse(v,   d, h, v0) {
  d = 1; while (isdigit(ch(v, d))) d++
  h = last_index(v, "-"); if (h < d) h = 0
  if (ch(v, d) == ":") { RPM_E = d == 1 ? "0" : substr(v, 1, d - 1); v0 = d + 1 } else { RPM_E = "0"; v0 = 1 }
  RPM_HAS_R = h > 0
  RPM_V = h ? substr(v, v0, h - v0) : substr(v, v0)
  RPM_R = h ? substr(v, h + 1) : ""
}
function rpm_cmp(a, b,   ae, av, ar, ah, r) {
  if (!rpm_valid(a)) return "invalid-a"
  if (!rpm_valid(b)) return "invalid-b"
  rpm_parse(a); ae = RPM_E; av = RPM_V; ar = RPM_R; ah = RPM_HAS_R
  rpm_parse(b)
  r = rpmvercmp(ae, RPM_E); if (r) return r
  r = rpmvercmp(av, RPM_V); if (r) return r
  if (!ah && !RPM_HAS_R) return 0
  if (!RPM_HAS_R) return 1
  if (!ah) return -1
  return rpmvercmp(ar, RPM_R)
}

# Semantic versioning 2.0.0 precedence; build metadata ignored.
function semver_valid(v,   core, pre, n, ids, k) {
  if (length(v) > 256) return 0
  if (v !~ /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/) return 0
  SV_BUILD = ""
  if (index(v, "+")) { SV_BUILD = substr(v, index(v, "+") + 1); v = substr(v, 1, index(v, "+") - 1) }
  SV_PRE = ""
  if (index(v, "-")) { SV_PRE = substr(v, index(v, "-") + 1); v = substr(v, 1, index(v, "-") - 1) }
  split(v, core, ".")
  SV_MAJOR = core[1]; SV_MINOR = core[2]; SV_PATCH = core[3]
  if (numcmp(SV_MAJOR, "9007199254740991") > 0 || numcmp(SV_MINOR, "9007199254740991") > 0 || numcmp(SV_PATCH, "9007199254740991") > 0) return 0
  if (SV_PRE != "") {
    n = split(SV_PRE, ids, ".")
    for (k = 1; k <= n; k++) {
      if (ids[k] == "") return 0
      if (ids[k] ~ /^[0-9]+$/ && ids[k] ~ /^0./) return 0
    }
    if (substr(SV_PRE, length(SV_PRE), 1) == ".") return 0
  }
  if (SV_BUILD != "") {
    n = split(SV_BUILD, ids, ".")
    for (k = 1; k <= n; k++) if (ids[k] == "") return 0
    if (substr(SV_BUILD, length(SV_BUILD), 1) == ".") return 0
  }
  return 1
}
function semver_ident(a, b,   an, bn) {
  an = a ~ /^[0-9]+$/; bn = b ~ /^[0-9]+$/
  if (an && bn) return numcmp(a, b)
  if (an) return -1
  if (bn) return 1
  return a == b ? 0 : (a < b ? -1 : 1)
}
function semver_cmp(a, b,   a1, a2, a3, ap, na, nb, ia, ib, k, r) {
  if (!semver_valid(a)) return "invalid-a"
  a1 = SV_MAJOR; a2 = SV_MINOR; a3 = SV_PATCH; ap = SV_PRE
  if (!semver_valid(b)) return "invalid-b"
  r = numcmp(a1, SV_MAJOR); if (r) return r
  r = numcmp(a2, SV_MINOR); if (r) return r
  r = numcmp(a3, SV_PATCH); if (r) return r
  if (ap == "" && SV_PRE == "") return 0
  if (ap == "") return 1
  if (SV_PRE == "") return -1
  na = split(ap, ia, "."); nb = split(SV_PRE, ib, ".")
  for (k = 1; k <= na && k <= nb; k++) { r = semver_ident(ia[k], ib[k]); if (r) return r }
  return na == nb ? 0 : (na < nb ? -1 : 1)
}

# PEP 440 as Python packaging.version.Version reads it, in any case: an
# optional v, N!, N(.N)*, then pre, post and dev releases with optional
# separators and implicit zeros, then +local. Only ASCII: tolower in a UTF-8
# locale would fold some other letters (the Kelvin sign) to ASCII ones.
function pep_valid(v) {
  return v ~ /^v?([0-9]+!)?[0-9]+(\.[0-9]+)*([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?(-[0-9]+|[-_.]?(post|rev|r)[-_.]?[0-9]*)?([-_.]?dev[-_.]?[0-9]*)?(\+[a-z0-9]+([-_.][a-z0-9]+)*)?$/
}
function pep_is_sep(c) { return c != "" && index("-_.", c) > 0 }
# The first of words (longest first where one begins another) that s begins with.
function pep_word(s, words,   n, w, k) {
  n = split(words, w, " ")
  for (k = 1; k <= n; k++) if (substr(s, 1, length(w[k])) == w[k]) return w[k]
  return ""
}
function pep_skip_sep(s) { return pep_is_sep(ch(s, 1)) ? substr(s, 2) : s }
# After a word: [-_.]? then digits, 0 when there are none; consumes PEP_S.
# Taking the separator whenever it is there is the parse packaging finds too.
function pep_number(   i, n) {
  PEP_S = pep_skip_sep(PEP_S)
  i = 1; while (isdigit(ch(PEP_S, i))) i++
  n = substr(PEP_S, 1, i - 1); PEP_S = substr(PEP_S, i)
  return n == "" ? "0" : n
}
# The release without trailing zeros: 1.0 is 1.
function pep_release(r,   n, x, k, out) {
  n = split(r, x, ".")
  while (n > 0 && strip_zeros(x[n] "") == "") n--
  out = ""; for (k = 1; k <= n; k++) out = out (k > 1 ? "." : "") x[k]
  return out
}
# Sets PEP_E, PEP_REL, PEP_PREL and PEP_PREN (letter a, b or rc, number),
# PEP_POST, PEP_DEV, PEP_LOCAL; an absent part is "". All are strings
# (substr, concatenation), so awk never compares them as inexact numbers.
function pep_parse(v,   i, t, w) {
  if (v !~ /^[0-9A-Za-z.!+_-]+$/) return 0
  v = tolower(v)
  if (!pep_valid(v)) return 0
  PEP_LOCAL = ""; i = index(v, "+")
  if (i) { PEP_LOCAL = substr(v, i + 1); v = substr(v, 1, i - 1) }
  if (ch(v, 1) == "v") v = substr(v, 2)
  PEP_E = "0"; i = index(v, "!")
  if (i) { PEP_E = substr(v, 1, i - 1); v = substr(v, i + 1) }
  match(v, /^[0-9]+(\.[0-9]+)*/)
  PEP_REL = pep_release(substr(v, 1, RLENGTH)); PEP_S = substr(v, RLENGTH + 1)
  PEP_PREL = ""; PEP_PREN = ""; t = pep_skip_sep(PEP_S)
  w = pep_word(t, "preview pre alpha a beta b rc c")
  if (w != "") {
    PEP_S = substr(t, length(w) + 1); PEP_PREN = pep_number()
    PEP_PREL = w == "alpha" ? "a" : (w == "beta" ? "b" : (w == "a" || w == "b" ? w : "rc"))
  }
  PEP_POST = ""; t = pep_skip_sep(PEP_S)
  if (ch(PEP_S, 1) == "-" && isdigit(ch(PEP_S, 2))) { PEP_S = substr(PEP_S, 2); PEP_POST = pep_number() }
  else if ((w = pep_word(t, "post rev r")) != "") { PEP_S = substr(t, length(w) + 1); PEP_POST = pep_number() }
  PEP_DEV = ""; t = pep_skip_sep(PEP_S)
  if (substr(t, 1, 3) == "dev") { PEP_S = substr(t, 4); PEP_DEV = pep_number() }
  return 1
}
function pep_release_cmp(a, b,   na, nb, x, y, k, r) {
  na = split(a, x, "."); nb = split(b, y, ".")
  for (k = 1; k <= na && k <= nb; k++) { r = numcmp(x[k] "", y[k] ""); if (r) return r }
  return na == nb ? 0 : (na < nb ? -1 : 1)
}
# 1.0.dev0 < 1.0a0 < 1.0: a dev release with neither pre nor post is the
# lowest pre-release, and no pre-release at all sorts after every one.
function pep_pre_rank(l, post, dev) { return l != "" ? 0 : (post == "" && dev != "" ? -1 : 1) }
# An absent part sorts before (absent -1) or after (1) every present one.
function pep_optional(a, b, absent) {
  if (a == "" || b == "") return a == b ? 0 : (a == "" ? absent : -absent)
  return numcmp(a, b)
}
# Local versions: numbers beat letters, letters compare as strings, a prefix sorts first.
function pep_local_cmp(a, b,   na, nb, x, y, k, p, q, pn, qn, r) {
  if (a == "" || b == "") return a == b ? 0 : (a == "" ? -1 : 1)
  na = split(a, x, /[-_.]/); nb = split(b, y, /[-_.]/)
  for (k = 1; k <= na && k <= nb; k++) {
    p = x[k] ""; q = y[k] ""; pn = p ~ /^[0-9]+$/; qn = q ~ /^[0-9]+$/
    if (pn && qn) r = numcmp(p, q)
    else if (pn || qn) r = pn ? 1 : -1
    else r = p == q ? 0 : (p < q ? -1 : 1)
    if (r) return r
  }
  return na == nb ? 0 : (na < nb ? -1 : 1)
}
function pep_cmp(a, b,   ae, ar, al, an, apo, ad, alo, r) {
  if (!pep_parse(a)) return "invalid-a"
  ae = PEP_E; ar = PEP_REL; al = PEP_PREL; an = PEP_PREN; apo = PEP_POST; ad = PEP_DEV; alo = PEP_LOCAL
  if (!pep_parse(b)) return "invalid-b"
  r = numcmp(ae, PEP_E); if (r) return r
  r = pep_release_cmp(ar, PEP_REL); if (r) return r
  r = sign(pep_pre_rank(al, apo, ad) - pep_pre_rank(PEP_PREL, PEP_POST, PEP_DEV)); if (r) return r
  if (al != PEP_PREL) return al < PEP_PREL ? -1 : 1
  r = pep_optional(an, PEP_PREN, 1); if (r) return r
  r = pep_optional(apo, PEP_POST, -1); if (r) return r
  r = pep_optional(ad, PEP_DEV, 1); if (r) return r
  return pep_local_cmp(alo, PEP_LOCAL)
}

function vercmp(scheme, a, b) {
  if (!ORD_READY) ord_init()
  if (scheme == "deb") return deb_cmp(a, b)
  if (scheme == "rpm") return rpm_cmp(a, b)
  if (scheme == "pypi") return pep_cmp(a, b)
  return semver_cmp(a, b)
}
