# Resolves the absolute path $1 under the root as a chroot would (".." stops
# at the root, absolute symlinks point inside it); sets herald_path.
herald_resolve() {
  herald_todo=$1 herald_done= herald_links=0
  while :; do
    while [ "${herald_todo#/}" != "$herald_todo" ]; do herald_todo=${herald_todo#/}; done
    [ -n "$herald_todo" ] || break
    case $herald_todo in
      */*) herald_part=${herald_todo%%/*}; herald_todo=${herald_todo#*/} ;;
      *) herald_part=$herald_todo; herald_todo= ;;
    esac
    case $herald_part in
      .) continue ;;
      ..) herald_done=${herald_done%/*}; continue ;;
    esac
    if [ -L "$herald_prefix$herald_done/$herald_part" ]; then
      herald_links=$((herald_links + 1))
      [ "$herald_links" -le 40 ] || return 1
      herald_target=$(readlink "$herald_prefix$herald_done/$herald_part") || return 1
      case $herald_target in /*) herald_done= ;; esac
      herald_todo=$herald_target/$herald_todo
    else
      herald_done=$herald_done/$herald_part
    fi
  done
  herald_path=$herald_prefix${herald_done:-/}
}
