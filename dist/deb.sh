#!/usr/bin/env bash
# The Linux packages: dist/out/kanwu_<version>_<arch>.deb for amd64 (built here) and arm64
# (cross-built with Debian's gcc-aarch64-linux-gnu), for Debian and the desktops built on it
# (UOS, Kylin). Each installs /usr/bin/kanwu; layout/ and fonts/ (with fonts.lock and the
# licences) under /usr/share/kanwu, where `kanwu init` finds them; the desktop entry 刊物排版
# (/usr/share/applications/kanwu.desktop), which opens the desk through
# /usr/share/kanwu/kanwu-desk.
#
# Reproducible: every mtime is SOURCE_DATE_EPOCH (default: the last commit's time), modes are
# fixed, owners are root (--root-owner-group), dpkg-deb sorts the file list, and xz runs on one
# thread (its output does not depend on the machine's cores). The same kanwu binaries give the
# same .deb bytes. Not run by CI (release builds take long).
#
# Usage: dist/deb.sh [amd64] [arm64] [loong64]   (default: amd64 arm64). Prints each
# package's size and sha256. KANWU_DEB_MAINTAINER sets the control file's Maintainer (without
# it, a placeholder: kanwu <kanwu@localhost>).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
out=dist/out
target_dir="${CARGO_TARGET_DIR:-target}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64)

# Debian's architecture -> Rust's target and the GNU tools' prefix (amd64: this machine's).
# loong64 (Loongson) needs the Rust target loongarch64-unknown-linux-gnu, which rustup cannot
# fetch on these machines: that branch is written the way arm64 works and is untested.
rust_target() {
  case $1 in
    amd64) echo "" ;;
    arm64) echo aarch64-unknown-linux-gnu ;;
    loong64) echo loongarch64-unknown-linux-gnu ;;
    *) echo "error: unknown architecture '$1' (amd64, arm64, loong64)" >&2; exit 2 ;;
  esac
}
need=()
command -v dpkg-deb >/dev/null 2>&1 || need+=(dpkg)
for arch in "${arches[@]}"; do
  target=$(rust_target "$arch")
  [ -n "$target" ] || continue
  gnu=${target%%-unknown-*}-linux-gnu
  rustup target add "$target"
  if ! command -v "$gnu-gcc" >/dev/null 2>&1; then
    case $arch in
      arm64) need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu) ;;
      loong64) need+=(gcc-loongarch64-linux-gnu libc6-dev-loong64-cross binutils-loongarch64-linux-gnu) ;;
    esac
  fi
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The executable for one Debian architecture, built (a no-op when up to date): sets exe, and
# tools (the prefix of strip and objdump for it).
build() {
  local start target gnu
  start=$(date +%s)
  target=$(rust_target "$1")
  if [ -z "$target" ]; then
    cargo build --release >&2
    exe="$target_dir/release/kanwu" tools=""
  else
    gnu=${target%%-unknown-*}-linux-gnu
    # Cargo's linker variable for the target: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER, …
    env "CARGO_TARGET_$(echo "$target" | tr a-z- A-Z_)_LINKER=$gnu-gcc" \
      cargo build --release --target "$target" >&2
    exe="$target_dir/$target/release/kanwu" tools="$gnu-"
  fi
  echo "built kanwu for $1 in $(( $(date +%s) - start )) s" >&2
}

for arch in "${arches[@]}"; do
  build "$arch"
  stage="$out/deb-$arch"
  deb="$out/kanwu_${version}_${arch}.deb"
  rm -rf "$stage" "$deb"
  mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/kanwu/fonts" \
    "$stage/usr/share/applications" "$stage/usr/share/doc/kanwu"

  # The symbol table is a quarter of the file and of no use to an editor.
  "${tools}strip" -o "$stage/usr/bin/kanwu" "$exe"
  # layout/ as committed (git's list: no editor's backup files, no stray output).
  git ls-files -z layout | xargs -0 cp --parents -t "$stage/usr/share/kanwu"
  cp fonts/fonts.lock fonts/LICENSE-* "$stage/usr/share/kanwu/fonts/"
  while read -r file; do
    cp "fonts/$file" "$stage/usr/share/kanwu/fonts/"
  done < <(sed -n 's/^file = "\(.*\)"/\1/p' fonts/fonts.lock)
  cp dist/linux/kanwu-desk "$stage/usr/share/kanwu/kanwu-desk"
  cp dist/linux/kanwu.desktop "$stage/usr/share/applications/kanwu.desktop"
  cp dist/linux/copyright "$stage/usr/share/doc/kanwu/copyright"
  cp README.md "$stage/usr/share/doc/kanwu/README.md"

  # The lowest glibc the binary asks for, from its versioned symbols.
  glibc=$("${tools}objdump" -T "$stage/usr/bin/kanwu" | grep -o 'GLIBC_[0-9.]*' \
    | sed 's/GLIBC_//' | sort -uV | tail -n1)
  installed_kib=$(du -s --apparent-size --block-size=1024 --exclude=DEBIAN "$stage" | cut -f1)
  cat > "$stage/DEBIAN/control" <<EOF
Package: kanwu
Version: $version
Architecture: $arch
Maintainer: ${KANWU_DEB_MAINTAINER:-kanwu <kanwu@localhost>}
Installed-Size: $installed_kib
Depends: libc6 (>= $glibc), libgcc-s1
Recommends: xdg-utils
Section: text
Priority: optional
Description: typesetting for Chinese internal periodicals (内部资料排版)
 kanwu turns a publication's TOML manifest and each issue's Markdown articles into
 print-ready PDF (Typst inside, no TeX): 内部资料, 简报, 通讯. It brings its layouts and
 fonts (Noto CJK, LXGW WenKai, Fandol) under /usr/share/kanwu; "kanwu init DIR" makes a
 project from them. The desktop entry 刊物排版 opens the desk, the issue edited in the
 browser with its pages beside it.
EOF
  (cd "$stage" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) \
    > "$stage/DEBIAN/md5sums"

  # Fixed modes and times: nothing of the build machine's umask or clock in the package.
  find "$stage" -type d -exec chmod 0755 {} +
  find "$stage" -type f -exec chmod 0644 {} +
  chmod 0755 "$stage/usr/bin/kanwu" "$stage/usr/share/kanwu/kanwu-desk"
  find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

  dpkg-deb --root-owner-group -Zxz -z6 --threads-max=1 --build "$stage" "$deb" >/dev/null
  echo "wrote $deb: $(stat -c %s "$deb") bytes ($(du -h "$deb" | cut -f1)), installs $installed_kib KiB"
  echo "  sha256 $(sha256sum "$deb" | cut -d' ' -f1)"
  echo "  $(sha256sum "$stage/usr/bin/kanwu" | cut -d' ' -f1)  /usr/bin/kanwu (stripped), glibc >= $glibc"
done
